import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { db } from "@/server/db";
import { requireUserPage } from "@/server/users/require-user";

export const metadata: Metadata = { title: "Ops · Connections" };

export default async function OpsConnectionsPage() {
  const user = await requireUserPage("/ops/connections");
  const row = await db().user.findUnique({ where: { id: user.id }, select: { role: true } });
  if (!row || row.role === "USER") redirect("/dashboard?error=forbidden");
  return (
    <section className="space-y-6">
      <h1 className="text-2xl font-semibold">Connections (ops)</h1>
      <p className="text-slate-600">No connections yet.</p>
    </section>
  );
}
