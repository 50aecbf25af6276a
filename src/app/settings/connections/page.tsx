import type { Metadata } from "next";
import { requireUserPage } from "@/server/users/require-user";

export const metadata: Metadata = { title: "Connections" };

export default async function ConnectionsPage() {
  await requireUserPage("/settings/connections");
  return (
    <section className="space-y-6">
      <h1 className="text-2xl font-semibold">Connections</h1>
      <ul aria-label="Connections" className="space-y-3">
        <li className="rounded-xl border border-dashed border-slate-300 bg-white p-6 text-slate-600">No connections yet.</li>
      </ul>
    </section>
  );
}
