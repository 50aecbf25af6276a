import "server-only";
import type { MetaAdAccount } from "@prisma/client";

/**
 * The ad-account JSON shape the API and the UI read. Built field by field from rows that never
 * include a token.
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
