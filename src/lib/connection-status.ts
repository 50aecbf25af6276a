import { z } from "zod";

/**
 * THE status list of a connection (docs: shared contract "Connections — one model, one status") and
 * its one label table. Client-safe: the badge, the pill, the banner, ops pages and the API all read
 * these; the status itself is computed in one server function
 * (src/server/connections/connection-status.ts).
 */
export const CONNECTION_STATUSES = ["connected", "expiring", "needs_relink", "permissions_missing", "revoked", "refresh_failed", "error"] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];
export const connectionStatusSchema = z.enum(CONNECTION_STATUSES);

export type StatusTone = "good" | "warn" | "bad";

/** Label, tone, and whether only a new login fixes it. */
export const STATUS_LABELS: Record<ConnectionStatus, { text: string; tone: StatusTone; broken: boolean }> = {
  connected: { text: "Connected", tone: "good", broken: false },
  expiring: { text: "Expiring", tone: "warn", broken: false },
  needs_relink: { text: "Needs re-link", tone: "bad", broken: true },
  permissions_missing: { text: "Permissions missing", tone: "warn", broken: true },
  revoked: { text: "Revoked", tone: "bad", broken: true },
  refresh_failed: { text: "Refresh failed", tone: "bad", broken: true },
  error: { text: "Error", tone: "warn", broken: false },
};

export function statusLabel(status: ConnectionStatus): string {
  return STATUS_LABELS[status].text;
}

/** Most urgent first: what a summary (the dashboard pill) shows when connections disagree. */
export const STATUS_URGENCY: readonly ConnectionStatus[] = ["needs_relink", "refresh_failed", "revoked", "permissions_missing", "error", "expiring", "connected"];

export function mostUrgent(statuses: Iterable<ConnectionStatus>): ConnectionStatus | null {
  const seen = new Set(statuses);
  return STATUS_URGENCY.find((s) => seen.has(s)) ?? null;
}
