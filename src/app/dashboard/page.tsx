import type { Metadata } from "next";
import Link from "next/link";
import { StatusPill } from "@/components/status-pill";
import { requireUserPage } from "@/server/users/require-user";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  await requireUserPage("/dashboard");
  return (
    <section className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">Dashboard</h1>
        <StatusPill label="Meta" text="Not connected" tone="neutral" />
      </div>
      <div className="rounded-xl border border-dashed border-slate-300 bg-white p-8 text-center">
        <p className="text-lg font-medium">Link Facebook to see your ad accounts</p>
        <p className="mt-2 text-slate-600">Once linked, every ad account you can reach shows up here and you pick the one to work with.</p>
        <Link href="/settings/connections" className="mt-4 inline-block rounded-md bg-slate-900 px-4 py-2 font-medium text-white hover:bg-slate-700">
          Go to connections
        </Link>
      </div>
    </section>
  );
}
