import type { ConnectionStatus } from "./connection-status";
import type { ConnectionView } from "@/server/connections/views";

/**
 * What the owner should be told about their connections (the health banner reads this; pure, client-safe), derived
 * from the same views the cards show — so the banner can never say "expired" while a card says
 * "Connected". Healthy connections say nothing; a re-link ops asked for is told while the
 * connection still looks fine. Most urgent first.
 */
export type HealthNotice = {
  connectionId: string;
  provider: string;
  name: string;
  kind: "relink_requested" | Exclude<ConnectionStatus, "connected">;
  daysLeft: number | null;
  endingKind: ConnectionView["endingKind"];
};

const ORDER: HealthNotice["kind"][] = ["revoked", "refresh_failed", "needs_relink", "permissions_missing", "error", "relink_requested", "expiring"];

export function healthNotices(connections: readonly ConnectionView[]): HealthNotice[] {
  const notices = connections.flatMap((c): HealthNotice[] => {
    const base = { connectionId: c.id, provider: c.provider, name: c.name, daysLeft: c.daysLeft, endingKind: c.endingKind };
    if (c.status !== "connected" && c.status !== "expiring") return [{ ...base, kind: c.status }];
    if (c.relinkRequestedAt) return [{ ...base, kind: "relink_requested" }];
    if (c.status === "expiring") return [{ ...base, kind: "expiring" }];
    return [];
  });
  return notices.sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
}
