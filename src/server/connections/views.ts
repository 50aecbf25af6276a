import "server-only";
import type { Connection, Prisma } from "@prisma/client";
import { STATUS_LABELS, type ConnectionStatus } from "@/lib/connection-status";
import type { AssetKind } from "@/server/integrations/types";
import { computeConnectionStatus, STATUS_SELECT, type EndingKind, type StatusClock } from "./connection-status";

/**
 * The connection JSON shape every reader uses — the API (`GET /api/connections`,
 * `/api/meta/status`), settings cards, the dashboard pill, the health banner and ops. Built field
 * by field from rows that never include a token, so a view cannot leak one. The status comes from
 * the one status function; nothing else derives it.
 */
export type ConnectionView = {
  id: string;
  provider: string;
  externalId: string;
  name: string;
  handle: string | null;
  avatarUrl: string | null;
  status: ConnectionStatus;
  /** What the platform last told us, without the transient `error` overlay. */
  verdict: ConnectionStatus;
  health: "ok" | "attention" | "broken";
  grantedScopes: string[];
  declinedScopes: string[];
  missingScopes: string[];
  tokenExpiresAt: string | null;
  refreshExpiresAt: string | null;
  dataAccessExpiresAt: string | null;
  /** The earliest end of the grant, in whole days (negative once passed). */
  daysLeft: number | null;
  endingKind: EndingKind | null;
  linkedAt: string;
  lastCheckedAt: string | null;
  lastSyncedAt: string | null;
  lastError: { code: string | null; message: string; at: string | null } | null;
  stats: { followers?: number; following?: number; posts?: number } | null;
  assetCounts: { adAccounts?: number };
  relinkRequestedAt: string | null;
};

/** The columns a ConnectionView needs (use as Prisma `select`). */
export const CONNECTION_VIEW_SELECT = {
  ...STATUS_SELECT,
  id: true,
  provider: true,
  externalId: true,
  name: true,
  handle: true,
  avatarUrl: true,
  grantedScopes: true,
  declinedScopes: true,
  linkedAt: true,
  lastCheckedAt: true,
  lastSyncedAt: true,
  lastErrorCode: true,
  lastErrorMessage: true,
  lastErrorAt: true,
  stats: true,
  assetCounts: true,
  relinkRequestedAt: true,
} as const satisfies Prisma.ConnectionSelect;

export type ConnectionRow = Pick<Connection, keyof typeof CONNECTION_VIEW_SELECT>;

const asObject = (v: Prisma.JsonValue | null): Record<string, unknown> | null => (v && typeof v === "object" && !Array.isArray(v) ? v : null);

/** The stored per-kind counts, limited to what the provider brings (unknown or missing → 0). */
export function assetCountsOf(stored: Prisma.JsonValue | null, kinds: readonly AssetKind[]): Partial<Record<AssetKind, number>> {
  const counts = asObject(stored) ?? {};
  return Object.fromEntries(kinds.map((kind) => [kind, typeof counts[kind] === "number" ? counts[kind] : 0]));
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function missingScopes(granted: readonly string[], required: readonly string[]): string[] {
  const have = new Set(granted);
  return required.filter((s) => !have.has(s));
}

const HEALTH: Record<"good" | "warn" | "bad", ConnectionView["health"]> = { good: "ok", warn: "attention", bad: "broken" };

/** Per provider: the scopes it needs and the asset kinds it brings (from its adapter). */
export type ViewContext = StatusClock & { requiredScopes: readonly string[]; assetKinds: readonly AssetKind[] };

export function toConnectionView(row: ConnectionRow, o: ViewContext): ConnectionView {
  const report = computeConnectionStatus(row, o);
  const stats = asObject(row.stats) as ConnectionView["stats"];
  return {
    id: row.id,
    provider: row.provider,
    externalId: row.externalId,
    name: row.name,
    handle: row.handle,
    avatarUrl: row.avatarUrl,
    status: report.status,
    verdict: report.verdict,
    health: HEALTH[STATUS_LABELS[report.status].tone],
    grantedScopes: row.grantedScopes,
    declinedScopes: row.declinedScopes,
    missingScopes: missingScopes(row.grantedScopes, o.requiredScopes),
    tokenExpiresAt: iso(row.tokenExpiresAt),
    refreshExpiresAt: iso(row.refreshExpiresAt),
    dataAccessExpiresAt: iso(row.dataAccessExpiresAt),
    daysLeft: report.daysLeft,
    endingKind: report.endingKind,
    linkedAt: row.linkedAt.toISOString(),
    lastCheckedAt: iso(row.lastCheckedAt),
    lastSyncedAt: iso(row.lastSyncedAt),
    lastError: row.lastErrorMessage ? { code: row.lastErrorCode, message: row.lastErrorMessage, at: iso(row.lastErrorAt) } : null,
    stats,
    assetCounts: assetCountsOf(row.assetCounts, o.assetKinds),
    relinkRequestedAt: iso(row.relinkRequestedAt),
  };
}
