import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { auth } from "@/auth";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

const ERRORS: Record<string, string> = {
  session_required: "Sign in to continue.",
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  if ((await auth())?.user) redirect("/dashboard");
  const notice = params.error ? ERRORS[params.error] : undefined;
  return (
    <section className="mx-auto max-w-sm rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="mb-4 text-2xl font-semibold">Sign in</h1>
      {notice && (
        <p role="status" className="mb-4 rounded-md bg-sky-50 px-3 py-2 text-sm text-sky-900">
          {notice}
        </p>
      )}
      <LoginForm callbackUrl={params.callbackUrl} />
      <p className="mt-4 text-sm text-slate-600">
        New here?{" "}
        <Link href="/register" className="font-medium underline">
          Create an account
        </Link>
      </p>
    </section>
  );
}
