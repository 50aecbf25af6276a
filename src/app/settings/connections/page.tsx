import type { Metadata } from "next";
import { Banner } from "@/components/banner";
import { ConnectionCard } from "@/components/connections/connection-card";
import { ProviderCard } from "@/components/connections/provider-card";
import { HealthBanner } from "@/components/health/health-banner";
import { db } from "@/server/db";
import { linkErrorFor } from "@/server/auth/link-errors";
import { listConnections, listProviders } from "@/server/connections/list-connections";
import { registry } from "@/server/integrations/registry";
import { sandboxPersonas } from "@/server/sandbox/mount";
import { requireUserPage } from "@/server/users/require-user";
import { disconnectAction, linkAction, quickConnectAction, reconnectAction, syncAction } from "./actions";

export const metadata: Metadata = { title: "Connections" };

type Search = { linked?: string; error?: string; disconnected?: string; synced?: string; provider?: string };

export default async function ConnectionsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUserPage("/settings/connections");
  const params = await searchParams;
  const connections = await listConnections(db(), user.id);
  const providers = listProviders();
  const names = Object.fromEntries(providers.map((p) => [p.id, p.name]));
  const nameOf = (id: string | undefined) => (id && names[id]) || "The provider";
  const personas = Object.fromEntries(await Promise.all(registry.all().map(async (a) => [a.id, await sandboxPersonas(a)] as const)));

  const error =
    params.error === "not_found"
      ? { message: "That connection no longer exists.", hint: "The list below is current." }
      : params.error === "sync_failed"
        ? { message: `${nameOf(params.provider)} could not be synced right now.`, hint: "The connection's card says why; try again in a few minutes." }
        : linkErrorFor(params.error, nameOf(params.provider));
  // When the link left something to fix (a declined permission), the health banner says so instead.
  const linkedProvider = params.linked && names[params.linked] ? params.linked : null;
  const linked = linkedProvider && !error && connections.filter((c) => c.provider === linkedProvider).every((c) => c.status === "connected");
  return (
    <section className="space-y-6">
      <h1 className="text-2xl font-semibold">Connections</h1>
      <HealthBanner connections={connections} providerNames={names} />
      {error && (
        <Banner tone={params.error === "cancelled" ? "info" : "error"} title={error.message}>
          {error.hint}
        </Banner>
      )}
      {linked && <Banner tone="success" title={`${names[linkedProvider]} is linked.`}>Its details are below; what it brought in is on the dashboard.</Banner>}
      {params.synced && names[params.synced] && <Banner tone="success" title={`${names[params.synced]} is synced.`} />}
      {params.disconnected && (
        <Banner tone={params.disconnected === "revoked" ? "success" : "warning"} title="Disconnected.">
          {params.disconnected === "revoked"
            ? `${nameOf(params.provider)} revoked Linkboard's access and the stored token was deleted.`
            : `The stored token was deleted, but ${nameOf(params.provider)} did not confirm the revocation. Remove Linkboard from the apps connected to your account there.`}
        </Banner>
      )}
      <ul aria-label="Providers" className="grid gap-3 sm:grid-cols-2">
        {providers.map((p) => (
          <ProviderCard key={p.id} provider={p} personas={personas[p.id] ?? []} link={linkAction.bind(null, p.id)} quickConnect={quickConnectAction.bind(null, p.id)} />
        ))}
      </ul>
      <ul aria-label="Connections" className="space-y-4">
        {connections.length === 0 ? (
          <li className="rounded-xl border border-dashed border-slate-300 bg-white p-6 text-slate-600">No connections yet. Link a provider above to bring in its accounts.</li>
        ) : (
          connections.map((connection) => (
            <ConnectionCard
              key={connection.id}
              connection={connection}
              providerName={nameOf(connection.provider)}
              reconnect={reconnectAction}
              sync={syncAction}
              disconnect={disconnectAction}
            />
          ))
        )}
      </ul>
    </section>
  );
}
