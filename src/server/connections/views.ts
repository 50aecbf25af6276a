import type { MetaAdAccount, MetaConnection } from "@prisma/client";
import { missingScopes } from "./scopes";

/**
 * The JSON shapes the API and the UI read (architecture.md "JSON API"). Built field by field from
 * rows that never include a token, so a view cannot leak one by accident.
 */

export const AD_ACCOUNT_STATUSES = {
  1: "ACTIVE",
  2: "DISABLED",
  3: "UNSETTLED",
  7: "PENDING_RISK_REVIEW",
  8: "PENDING_SETTLEMENT",
  9: "IN_GRACE_PERIOD",
  100: "PENDING_CLOSURE",
  101: "CLOSED",
  201: "ANY_ACTIVE",
  202: "ANY_CLOSED",
} as const;

export type AdAccountStatus = (typeof AD_ACCOUNT_STATUSES)[keyof typeof AD_ACCOUNT_STATUSES] | "UNKNOWN";

export function adAccountStatus(code: number): AdAccountStatus {
  return AD_ACCOUNT_STATUSES[code as keyof typeof AD_ACCOUNT_STATUSES] ?? "UNKNOWN";
}

export type AdAccountView = {
  id: string;
  adAccountId: string;
  accountId: string;
  name: string;
  currency: string;
  timezoneName: string;
  status: AdAccountStatus;
  disableReason: number | null;
  business: { id: string; name: string } | null;
  connectionId: string;
  isSelected: boolean;
};

export type AdAccountRow = Pick<
  MetaAdAccount,
  "id" | "adAccountId" | "accountId" | "name" | "currency" | "timezoneName" | "accountStatus" | "disableReason" | "businessId" | "businessName" | "connectionId" | "isSelected"
>;

/** The columns an AdAccountView needs (use as Prisma `select`). */
export const AD_ACCOUNT_VIEW_SELECT = {
  id: true,
  adAccountId: true,
  accountId: true,
  name: true,
  currency: true,
  timezoneName: true,
  accountStatus: true,
  disableReason: true,
  businessId: true,
  businessName: true,
  connectionId: true,
  isSelected: true,
} as const;

export function toAdAccountView(row: AdAccountRow): AdAccountView {
  return {
    id: row.id,
    adAccountId: row.adAccountId,
    accountId: row.accountId,
    name: row.name,
    currency: row.currency,
    timezoneName: row.timezoneName,
    status: adAccountStatus(row.accountStatus),
    disableReason: row.disableReason,
    business: row.businessId ? { id: row.businessId, name: row.businessName ?? "" } : null,
    connectionId: row.connectionId,
    isSelected: row.isSelected,
  };
}

/**
 * A connection's status as shown: the stored one, except `needs_relink` when the stored token
 * will not decrypt or ops asked for a re-link, and `expired` once the token's expiry has passed
 * (we learn of it before Meta tells us).
 */
export type ConnectionViewStatus = MetaConnection["status"] | "needs_relink";

export type ConnectionView = {
  id: string;
  provider: "facebook";
  metaUserId: string;
  name: string;
  status: ConnectionViewStatus;
  grantedScopes: string[];
  declinedScopes: string[];
  tokenExpiresAt: string | null;
  dataAccessExpiresAt: string | null;
  linkedAt: string;
  adAccountCount: number;
  missingScopes: string[];
  lastError: { code: number | null; message: string } | null;
  relinkRequestedAt: string | null;
};

export type ConnectionRow = Pick<
  MetaConnection,
  | "id"
  | "metaUserId"
  | "name"
  | "status"
  | "grantedScopes"
  | "declinedScopes"
  | "tokenExpiresAt"
  | "dataAccessExpiresAt"
  | "linkedAt"
  | "lastErrorCode"
  | "lastErrorMessage"
  | "relinkRequestedAt"
>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function connectionViewStatus(row: ConnectionRow, o: { tokenReadable: boolean; now: Date }): ConnectionViewStatus {
  if (!o.tokenReadable || row.relinkRequestedAt) return "needs_relink";
  if (row.status === "connected" || row.status === "permissions_missing") {
    if (row.tokenExpiresAt && row.tokenExpiresAt <= o.now) return "expired";
  }
  return row.status;
}

export function toConnectionView(
  row: ConnectionRow,
  o: { adAccountCount: number; tokenReadable: boolean; requiredScopes: readonly string[]; now: Date },
): ConnectionView {
  return {
    id: row.id,
    provider: "facebook",
    metaUserId: row.metaUserId,
    name: row.name,
    status: connectionViewStatus(row, o),
    grantedScopes: row.grantedScopes,
    declinedScopes: row.declinedScopes,
    tokenExpiresAt: iso(row.tokenExpiresAt),
    dataAccessExpiresAt: iso(row.dataAccessExpiresAt),
    linkedAt: row.linkedAt.toISOString(),
    adAccountCount: o.adAccountCount,
    missingScopes: missingScopes(row.grantedScopes, o.requiredScopes),
    lastError: row.lastErrorMessage ? { code: row.lastErrorCode, message: row.lastErrorMessage } : null,
    relinkRequestedAt: iso(row.relinkRequestedAt),
  };
}

export type MetaStatus = "not_connected" | "connected" | "needs_relink" | "permissions_missing" | "error";

// Most urgent first: a dead token blocks everything; missing permissions block ad accounts.
const URGENCY: MetaStatus[] = ["needs_relink", "permissions_missing", "error", "connected"];

export function overallStatus(connections: readonly ConnectionView[]): MetaStatus {
  if (connections.length === 0) return "not_connected";
  const mapped = new Set<MetaStatus>(
    connections.map((c) => {
      if (c.status === "expired" || c.status === "revoked" || c.status === "needs_relink") return "needs_relink";
      return c.status;
    }),
  );
  return URGENCY.find((s) => mapped.has(s)) ?? "connected";
}
