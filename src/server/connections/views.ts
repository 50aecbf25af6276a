import "server-only";
import { Prisma, type Connection } from "@prisma/client";
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

/**
 * The same columns as one raw SELECT list (table alias `c`): the status routes are the hottest
 * reads, and a raw query costs about half the CPU of a model query (no query compilation). Kept
 * beside CONNECTION_VIEW_SELECT; the view tests compare both paths' results.
 */
export const CONNECTION_VIEW_COLUMNS = Prisma.sql`c."id", c."provider", c."external_id" AS "externalId", c."name", c."handle", c."avatar_url" AS "avatarUrl",
  c."state"::text AS "state", c."granted_scopes" AS "grantedScopes", c."declined_scopes" AS "declinedScopes",
  c."token_expires_at" AS "tokenExpiresAt", c."refresh_expires_at" AS "refreshExpiresAt", c."data_access_expires_at" AS "dataAccessExpiresAt",
  c."can_refresh" AS "canRefresh", c."token_unreadable_at" AS "tokenUnreadableAt", c."last_error_transient" AS "lastErrorTransient",
  c."linked_at" AS "linkedAt", c."last_checked_at" AS "lastCheckedAt", c."last_synced_at" AS "lastSyncedAt",
  c."last_error_code" AS "lastErrorCode", c."last_error_message" AS "lastErrorMessage", c."last_error_at" AS "lastErrorAt",
  c."stats", c."asset_counts" AS "assetCounts", c."relink_requested_at" AS "relinkRequestedAt"`;

/** A user's connection rows, oldest first, in one raw query; `extra` adds columns (e.g. a subquery). */
export function findConnectionRows<T extends object = object>(
  db: Pick<Prisma.TransactionClient, "$queryRaw">,
  o: { userId: string; provider?: string; extra?: Prisma.Sql },
): Promise<(ConnectionRow & T)[]> {
  const extra = o.extra ? Prisma.sql`, ${o.extra}` : Prisma.empty;
  const provider = o.provider ? Prisma.sql`AND c."provider" = ${o.provider}` : Prisma.empty;
  return db.$queryRaw<(ConnectionRow & T)[]>`SELECT ${CONNECTION_VIEW_COLUMNS}${extra} FROM "connections" AS c WHERE c."user_id" = ${o.userId} ${provider} ORDER BY c."linked_at", c."id"`;
}

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
