import Link from "next/link";
import { auth } from "@/auth";

export default async function HomePage() {
  const session = await auth();
  return (
    <section className="mx-auto max-w-2xl py-12 text-center">
      <h1 className="text-4xl font-bold tracking-tight">Keep your Meta ad accounts connected</h1>
      <p className="mt-4 text-lg text-slate-600">
        Linkboard links your Facebook account, lists every ad account you can reach, and tells you before a
        connection expires — so reports and campaigns never stop because a token quietly died.
      </p>
      <div className="mt-8 flex justify-center gap-3">
        {session?.user ? (
          <Link href="/dashboard" className="rounded-md bg-slate-900 px-4 py-2 font-medium text-white hover:bg-slate-700">
            Go to your dashboard
          </Link>
        ) : (
          <>
            <Link href="/register" className="rounded-md bg-slate-900 px-4 py-2 font-medium text-white hover:bg-slate-700">
              Create account
            </Link>
            <Link href="/login" className="rounded-md border border-slate-300 bg-white px-4 py-2 font-medium hover:bg-slate-100">
              Sign in
            </Link>
          </>
        )}
      </div>
    </section>
  );
}
