import type { Metadata } from "next";
import Link from "next/link";
import { Banner } from "@/components/banner";
import { healthLabel } from "@/components/health/health-badge";
import { OpsConnectionsTable } from "@/components/ops/ops-connections-table";
import { env } from "@/env";
import { db } from "@/server/db";
import { HEALTH_STATES } from "@/server/health/health-state";
import { listOpsConnections } from "@/server/ops/list-ops-connections";
import { requireOpsPage } from "@/server/ops/require-ops-page";
import { opsConnectionsQuery, type OpsConnectionsQuery } from "@/server/ops/schema";
import { assertCleanInput } from "@/server/http/read-input";

export const metadata: Metadata = { title: "Ops · Connections" };

type Search = { health?: string; within?: string; cursor?: string };

function parseFilters(params: Search): { query: OpsConnectionsQuery; error?: string } {
  const raw = Object.fromEntries(
    Object.entries({ health: params.health, withinDays: params.within, cursor: params.cursor }).filter(([, v]) => typeof v === "string" && v !== ""),
  );
  try {
    assertCleanInput(raw);
  } catch {
    return { query: {}, error: "The filter contains characters that cannot be used." };
  }
  const parsed = opsConnectionsQuery.safeParse(raw);
  return parsed.success ? { query: parsed.data } : { query: {}, error: parsed.error.issues[0]?.message ?? "Invalid filter." };
}

const href = (o: Search) => `/ops/connections?${new URLSearchParams(Object.entries(o).filter(([, v]) => v) as [string, string][]).toString()}`;

export default async function OpsConnectionsPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requireOpsPage("/ops/connections");
  const params = await searchParams;
  const { query, error } = parseFilters(params);
  const expiringDays = env().health.expiringDays;
  const result = await listOpsConnections(db(), query, { now: new Date(), expiringDays });

  return (
    <section className="space-y-6">
      <h1 className="text-2xl font-semibold">Connections (ops)</h1>
      {error && <Banner tone="error" title={`Filter ignored: ${error}`} />}
      <nav aria-label="Counts by health" className="flex flex-wrap gap-2 text-sm">
        <Link href="/ops/connections" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100">
          All <span className="font-semibold">{result.counts.total}</span>
        </Link>
        {HEALTH_STATES.map((h) => (
          <Link
            key={h}
            href={href({ health: h })}
            aria-current={query.health === h ? "page" : undefined}
            className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100 aria-[current=page]:border-slate-900"
          >
            {healthLabel(h)} <span className="font-semibold" data-testid={`count-${h}`}>{result.counts[h]}</span>
          </Link>
        ))}
      </nav>
      <form method="get" className="flex flex-wrap items-end gap-3 text-sm">
        <label className="flex flex-col gap-1">
          Health
          <select name="health" defaultValue={query.health ?? ""} className="rounded-md border border-slate-300 bg-white px-2 py-1.5">
            <option value="">Any</option>
            {HEALTH_STATES.map((h) => (
              <option key={h} value={h}>
                {healthLabel(h)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          Ending within (days)
          <input name="within" inputMode="numeric" defaultValue={query.withinDays ?? ""} placeholder={String(expiringDays)} className="w-28 rounded-md border border-slate-300 px-2 py-1.5" />
        </label>
        <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700">
          Filter
        </button>
      </form>
      {result.data.length === 0 ? (
        <p className="text-slate-600">No connections match.</p>
      ) : (
        <OpsConnectionsTable connections={result.data} />
      )}
      {result.nextCursor && (
        <Link href={href({ health: params.health, within: params.within, cursor: result.nextCursor })} className="text-sm underline">
          Next page
        </Link>
      )}
    </section>
  );
}
