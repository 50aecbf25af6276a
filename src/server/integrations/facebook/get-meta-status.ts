import "server-only";
import { mostUrgent, type ConnectionStatus } from "@/lib/connection-status";
import { AD_ACCOUNT_VIEW_SELECT, toAdAccountView, type AdAccountView } from "@/server/ad-accounts/views";
import { listConnections, type ListOptions } from "@/server/connections/list-connections";
import type { ConnectionView } from "@/server/connections/views";
import type { Db } from "@/server/db";
import { FACEBOOK } from "./identity";

/**
 * `GET /api/meta/status` and the dashboard's Meta pill: the user's Facebook connections (the
 * shared connection views, plus the fields this route always had), the overall status (most
 * urgent wins) and the selected ad account. Reads no token.
 */
export type MetaConnectionView = ConnectionView & { metaUserId: string; adAccountCount: number };
export type MetaStatusView = { status: "not_connected" | ConnectionStatus; connections: MetaConnectionView[]; selectedAdAccount: AdAccountView | null };

export async function getMetaStatus(db: Db, userId: string, o: ListOptions & { connections?: readonly ConnectionView[] } = {}): Promise<MetaStatusView> {
  const [all, selected] = await Promise.all([
    o.connections ?? listConnections(db, userId, { ...o, provider: FACEBOOK.id }),
    db.metaAdAccount.findFirst({ where: { userId, isSelected: true }, select: AD_ACCOUNT_VIEW_SELECT }),
  ]);
  const connections = all.filter((c) => c.provider === FACEBOOK.id);
  return {
    status: mostUrgent(connections.map((c) => c.status)) ?? "not_connected",
    connections: connections.map((c) => ({ ...c, metaUserId: c.externalId, adAccountCount: c.assetCounts.adAccounts ?? 0 })),
    selectedAdAccount: selected ? toAdAccountView(selected) : null,
  };
}
