import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { StatusBadge } from "@/components/connections/status-badge";
import { env } from "@/env";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { getConnectionAuditTrail, type AuditTrail } from "@/server/ops/get-connection-audit-trail";
import { requireOpsPage } from "@/server/ops/require-ops-page";
import { connectionIdParam } from "@/server/ops/schema";

export const metadata: Metadata = { title: "Ops · Audit trail" };

const ACTOR_NONE: Record<string, string> = { deauthorized: "Meta", data_deleted: "Meta" };
const TIME = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

export default async function ConnectionAuditPage({ params }: { params: Promise<{ id: string }> }) {
  const parsed = connectionIdParam.safeParse(await params);
  if (!parsed.success) notFound();
  await requireOpsPage(`/ops/connections/${parsed.data.id}`);
  let trail: AuditTrail;
  try {
    trail = await getConnectionAuditTrail(db(), parsed.data.id, { now: new Date(), expiringDays: env().health.expiringDays });
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
  const c = trail.connection;
  return (
    <section className="space-y-6">
      <Link href="/ops/connections" className="text-sm underline">
        ← All connections
      </Link>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">Audit trail{c ? `: ${c.name}` : ""}</h1>
        {c && <StatusBadge status={c.status} testId="health-badge" />}
      </div>
      <p className="text-sm text-slate-600">{c ? `Owner ${c.ownerEmail}` : "This connection no longer exists; its history remains."}</p>
      <ol aria-label="Audit events" className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white text-sm shadow-sm">
        {trail.events.map((e) => (
          <li key={e.id} className="flex flex-wrap gap-x-4 gap-y-1 px-4 py-3">
            <time dateTime={e.at} className="w-48 text-slate-500">
              {TIME.format(new Date(e.at))} UTC
            </time>
            <span className="w-40 font-medium">{e.action}</span>
            <span className="w-56">{e.actor ? (e.actor.email ?? e.actor.id) : (ACTOR_NONE[e.action] ?? "System")}</span>
            {e.detail != null && <code className="text-xs text-slate-600">{JSON.stringify(e.detail)}</code>}
          </li>
        ))}
      </ol>
    </section>
  );
}
