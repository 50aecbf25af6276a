import "server-only";
import { env } from "@/env";
import type { Db } from "@/server/db";
import { registry as defaultRegistry, type Registry } from "@/server/integrations/registry";
import { findConnectionRows, toConnectionView, type ConnectionRow, type ConnectionView } from "./views";

/**
 * The signed-in user's connections, oldest first, each with its one computed status. The settings
 * cards, the dashboard pill, the health banner and the JSON API all read this list, so they cannot
 * disagree. One query; no token is read (an unreadable token is a stored fact).
 */
export type ListOptions = { now?: Date; expiringDays?: number; registry?: Registry; provider?: string };

export async function listConnections(db: Db, userId: string, o: ListOptions = {}): Promise<ConnectionView[]> {
  return toConnectionViews(await findConnectionRows(db, { userId, provider: o.provider }), o);
}

/** Rows read elsewhere (e.g. with extra columns) → the views, each with its one status. */
export function toConnectionViews(rows: readonly ConnectionRow[], o: ListOptions = {}): ConnectionView[] {
  const r = o.registry ?? defaultRegistry;
  const now = o.now ?? new Date();
  const expiringDays = o.expiringDays ?? env().health.expiringDays;
  return rows.map((row) => {
    const adapter = r.find(row.provider);
    return toConnectionView(row, { now, expiringDays, requiredScopes: adapter?.requiredScopes() ?? [], assetKinds: adapter?.assetKinds ?? [] });
  });
}

export type ProviderSummary = {
  id: string;
  name: string;
  brandColor: string;
  configured: boolean;
  sandbox: boolean;
  linkKind: "oauth" | "form" | "redirect";
  missing: { name: string; hint: string }[];
};

export function listProviders(r: Registry = defaultRegistry): ProviderSummary[] {
  return r.all().map((a) => {
    const s = a.settings();
    return { id: a.id, name: a.name, brandColor: a.brandColor, configured: s.configured, sandbox: s.sandbox, linkKind: a.link.kind, missing: s.missing };
  });
}

/** `GET /api/connections`. */
export async function getConnectionsOverview(db: Db, userId: string, o: ListOptions = {}) {
  const providers = listProviders(o.registry).map(({ id, name, configured, sandbox }) => ({ id, name, configured, sandbox }));
  return { providers, connections: await listConnections(db, userId, o) };
}
