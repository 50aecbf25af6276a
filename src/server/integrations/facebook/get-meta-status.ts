import "server-only";
import { Prisma } from "@prisma/client";
import { mostUrgent, type ConnectionStatus } from "@/lib/connection-status";
import { AD_ACCOUNT_VIEW_SELECT, toAdAccountView, type AdAccountRow, type AdAccountView } from "@/server/ad-accounts/views";
import { toConnectionViews, type ListOptions } from "@/server/connections/list-connections";
import { findConnectionRows, type ConnectionView } from "@/server/connections/views";
import type { Db } from "@/server/db";
import { FACEBOOK } from "./identity";

/**
 * `GET /api/meta/status` and the dashboard's Meta pill: the user's Facebook connections (the
 * shared connection views, plus the fields this route always had), the overall status (most
 * urgent wins) and the selected ad account. Reads no token.
 */
export type MetaConnectionView = ConnectionView & { metaUserId: string; adAccountCount: number };
export type MetaStatusView = { status: "not_connected" | ConnectionStatus; connections: MetaConnectionView[]; selectedAdAccount: AdAccountView | null };

// The selected ad account rides along as one JSON column: the whole answer is one round trip.
const SELECTED = Prisma.sql`(SELECT json_build_object('id', m."id", 'adAccountId', m."ad_account_id", 'accountId', m."account_id", 'name', m."name",
  'currency', m."currency", 'timezoneName', m."timezone_name", 'accountStatus', m."account_status", 'disableReason', m."disable_reason",
  'businessId', m."business_id", 'businessName', m."business_name", 'connectionId', m."connection_id", 'isSelected', m."is_selected")
  FROM "meta_ad_accounts" AS m WHERE m."user_id" = c."user_id" AND m."is_selected" LIMIT 1) AS "selectedAdAccount"`;

export async function getMetaStatus(db: Db, userId: string, o: ListOptions & { connections?: readonly ConnectionView[] } = {}): Promise<MetaStatusView> {
  let all: readonly ConnectionView[];
  let selected: AdAccountRow | null;
  if (o.connections) {
    all = o.connections;
    selected = await db.metaAdAccount.findFirst({ where: { userId, isSelected: true }, select: AD_ACCOUNT_VIEW_SELECT });
  } else {
    const rows = await findConnectionRows<{ selectedAdAccount: AdAccountRow | null }>(db, { userId, provider: FACEBOOK.id, extra: SELECTED });
    all = toConnectionViews(rows, o);
    selected = rows.find((r) => r.selectedAdAccount)?.selectedAdAccount ?? null;
  }
  const connections = all.filter((c) => c.provider === FACEBOOK.id);
  return {
    status: mostUrgent(connections.map((c) => c.status)) ?? "not_connected",
    connections: connections.map((c) => ({ ...c, metaUserId: c.externalId, adAccountCount: c.assetCounts.adAccounts ?? 0 })),
    selectedAdAccount: selected ? toAdAccountView(selected) : null,
  };
}
