import type { Metadata } from "next";
import Link from "next/link";
import { AdAccountPicker } from "@/components/ad-accounts/ad-account-picker";
import { AccountStatusBadge } from "@/components/ad-accounts/account-status";
import { RefreshButton } from "@/components/ad-accounts/refresh-button";
import { InsightsPanel } from "@/components/insights/insights-panel";
import { HealthBanner } from "@/components/health/health-banner";
import { StatusPill } from "@/components/status-pill";
import { db } from "@/server/db";
import { listConnections, listProviders } from "@/server/connections/list-connections";
import { getMetaStatus } from "@/server/integrations/facebook/get-meta-status";
import { requireUserPage } from "@/server/users/require-user";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const user = await requireUserPage("/dashboard");
  // One read of the connections feeds the pill and the banner, so they cannot disagree.
  const connections = await listConnections(db(), user.id);
  const status = await getMetaStatus(db(), user.id, { connections });
  const names = Object.fromEntries(listProviders().map((p) => [p.id, p.name]));
  const selected = status.selectedAdAccount;
  return (
    <section className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">Dashboard</h1>
        <StatusPill label="Meta" status={status.status} />
      </div>
      <HealthBanner connections={connections} providerNames={names} />
      {status.connections.length === 0 ? (
        <div className="rounded-xl border border-dashed border-slate-300 bg-white p-8 text-center">
          <p className="text-lg font-medium">Link Facebook to see your ad accounts</p>
          <p className="mt-2 text-slate-600">Once linked, every ad account you can reach shows up here and you pick the one to work with.</p>
          <Link href="/settings/connections" className="mt-4 inline-block rounded-md bg-slate-900 px-4 py-2 font-medium text-white hover:bg-slate-700">
            Go to connections
          </Link>
        </div>
      ) : (
        <>
          <section aria-label="Selected ad account" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
            <h2 className="text-sm font-semibold uppercase tracking-wide text-slate-500">Selected ad account</h2>
            {selected ? (
              <div className="mt-2 space-y-2">
                <div className="flex flex-wrap items-center gap-3">
                  <p className="text-xl font-semibold">{selected.name}</p>
                  <AccountStatusBadge status={selected.status} />
                </div>
                <p className="text-sm text-slate-600">
                  {selected.adAccountId} · {selected.currency} · {selected.timezoneName}
                  {selected.business ? ` · ${selected.business.name}` : ""}
                </p>
                {selected.status !== "ACTIVE" && (
                  <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
                    This account is {selected.status.toLowerCase().replace(/_/g, " ")} at Meta: it cannot run ads until that is resolved in Meta Ads Manager.
                  </p>
                )}
              </div>
            ) : (
              <p className="mt-2 text-slate-600">None yet — choose one below.</p>
            )}
          </section>
          {selected && <InsightsPanel key={selected.adAccountId} adAccountId={selected.adAccountId} currency={selected.currency} status={selected.status} />}
          <RefreshButton connectionIds={status.connections.map((c) => c.id)} />
          <AdAccountPicker key={status.connections.map((c) => `${c.id}:${c.adAccountCount}`).join(",")} selectedId={selected?.adAccountId ?? null} />
        </>
      )}
    </section>
  );
}
