import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Sign-in problem" };

// Auth.js sends every failure here with ?error=<type>; nothing is ever a 500 page.
const MESSAGES: Record<string, { title: string; body: string }> = {
  Configuration: { title: "Sign-in is misconfigured", body: "The server is missing part of its sign-in configuration. Ops has the details in the logs." },
  AccessDenied: { title: "Access denied", body: "That sign-in was refused." },
  Verification: { title: "Link expired", body: "That sign-in link has expired or was already used." },
};

export default async function AuthErrorPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  const message = (error ? MESSAGES[error] : undefined) ?? { title: "Something went wrong while signing in", body: "Please try again." };
  return (
    <section className="mx-auto max-w-md rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="text-xl font-semibold">{message.title}</h1>
      <p className="mt-2 text-slate-600">{message.body}</p>
      <Link href="/login" className="mt-4 inline-block font-medium underline">
        Back to sign in
      </Link>
    </section>
  );
}
