import Link from "next/link";
import { formatDate, relativeDays } from "@/components/format";
import { StatusBadge } from "@/components/connections/status-badge";
import { RequestRelinkButton } from "@/components/health/request-relink-button";
import type { OpsConnectionView } from "@/server/ops/list-ops-connections";

/**
 * The ops connection table. It must fit its container: fixed column widths, long emails and
 * error messages wrap anywhere, and the two expiries share one "Ends" column. Below the md
 * breakpoint every row becomes a stacked card, each value labelled with its column's name.
 */
const COLUMNS = [
  { label: "Owner", width: "w-[25%]" },
  { label: "Health", width: "w-[14%]" },
  { label: "Ends", width: "w-[19%]" },
  { label: "Last check", width: "w-[21%]" },
  { label: "Ad accounts", width: "w-[8%]" },
  { label: "Actions", width: "w-[13%]" },
] as const;

// Stacked below md: the label (from data-label) on the left, the cell's one child on the right.
const CELL =
  "px-3 py-2 [overflow-wrap:anywhere] max-md:flex max-md:gap-3 max-md:px-0 max-md:py-1 max-md:before:w-24 max-md:before:shrink-0 max-md:before:pt-0.5 max-md:before:text-xs max-md:before:font-medium max-md:before:uppercase max-md:before:tracking-wide max-md:before:text-slate-500 max-md:before:content-[attr(data-label)]";

function When({ iso, empty }: { iso: string | null; empty: string }) {
  if (!iso) return empty;
  // "(in 60 days)" stays whole: a narrow column wraps before it, not inside it.
  return (
    <>
      {formatDate(iso)} <span className="whitespace-nowrap">({relativeDays(iso)})</span>
    </>
  );
}

function lastError(e: NonNullable<OpsConnectionView["lastError"]>): string {
  return `${e.code ?? ""} ${e.message}`.trim();
}

export function OpsConnectionsTable({ connections, providerNames }: { connections: OpsConnectionView[]; providerNames: Record<string, string> }) {
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm" data-testid="ops-table-container">
      <table className="w-full table-fixed text-left text-sm max-md:block">
        <caption className="sr-only">Connections</caption>
        <colgroup className="max-md:hidden">
          {COLUMNS.map((c) => (
            <col key={c.label} className={c.width} />
          ))}
        </colgroup>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500 max-md:sr-only">
          <tr>
            {COLUMNS.map((c) => (
              <th key={c.label} scope="col" className="px-3 py-2 font-medium">
                {c.label === "Actions" ? <span className="sr-only">Actions</span> : c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 max-md:block">
          {connections.map((c) => {
            const provider = providerNames[c.provider] ?? c.provider;
            return (
            <tr key={c.id} data-testid="ops-connection-row" data-connection-id={c.id} className="align-top max-md:block max-md:px-4 max-md:py-3">
              <td data-label="Owner" className={CELL}>
                <div className="min-w-0">
                  <span className="block">{c.owner.email}</span>
                  <span className="block text-xs text-slate-500">
                    {provider}: {c.name}
                  </span>
                </div>
              </td>
              <td data-label="Health" className={CELL}>
                <div>
                  <StatusBadge status={c.status} testId="health-badge" />
                </div>
              </td>
              <td data-label="Ends" className={`${CELL} text-xs`}>
                <div className="min-w-0">
                  <span className="block">
                    Token: <When iso={c.tokenExpiresAt} empty="never" />
                  </span>
                  <span className="block">
                    Data access: <When iso={c.dataAccessExpiresAt} empty="unknown" />
                  </span>
                </div>
              </td>
              <td data-label="Last check" className={`${CELL} text-xs`}>
                <div className="min-w-0">
                  <span className="block">{c.lastCheckedAt ? formatDate(c.lastCheckedAt) : "Never"}</span>
                  {c.lastError && <span className="block text-slate-700">{lastError(c.lastError)}</span>}
                </div>
              </td>
              <td data-label="Ad accounts" className={CELL}>
                <div>
                  {c.adAccountCount}
                  {c.adAccountsNotActive > 0 && <span className="block text-xs text-amber-700">{c.adAccountsNotActive} not active</span>}
                </div>
              </td>
              <td data-label="Actions" className={`${CELL} max-md:pt-2 max-md:before:hidden`}>
                <div className="space-y-2 max-md:flex max-md:items-start max-md:gap-4 max-md:space-y-0">
                  <RequestRelinkButton connectionId={c.id} ownerEmail={c.owner.email} providerName={provider} requestedAt={c.relinkRequestedAt} />
                  <Link href={`/ops/connections/${c.id}`} className="block text-xs underline max-md:py-1">
                    Audit trail
                  </Link>
                </div>
              </td>
            </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
