import type { Db } from "@/server/db";
import { readTokens } from "@/server/vault/read-tokens";
import { requiredScopes as configuredScopes } from "./scopes";
import {
  AD_ACCOUNT_VIEW_SELECT,
  overallStatus,
  toAdAccountView,
  toConnectionView,
  type AdAccountView,
  type ConnectionView,
  type MetaStatus,
} from "./views";

/**
 * The user's Meta picture for the status pill, settings cards and dashboard: every connection,
 * the overall status (most urgent wins) and the selected ad account. Each stored token is opened
 * once to learn whether it still decrypts (a token that does not is "needs re-link"); the token
 * itself is dropped immediately and never reaches a view.
 */
export type MetaStatusView = { status: MetaStatus; connections: ConnectionView[]; selectedAdAccount: AdAccountView | null };

export async function getMetaStatus(
  db: Db,
  userId: string,
  o: { requiredScopes?: readonly string[]; now?: Date } = {},
): Promise<MetaStatusView> {
  const now = o.now ?? new Date();
  const required = o.requiredScopes ?? configuredScopes();
  const [rows, selected] = await Promise.all([
    db.metaConnection.findMany({
      where: { userId },
      orderBy: [{ linkedAt: "asc" }, { id: "asc" }],
      select: {
        id: true,
        accountId: true,
        metaUserId: true,
        name: true,
        status: true,
        grantedScopes: true,
        declinedScopes: true,
        tokenExpiresAt: true,
        dataAccessExpiresAt: true,
        linkedAt: true,
        lastErrorCode: true,
        lastErrorMessage: true,
        relinkRequestedAt: true,
        _count: { select: { adAccounts: true } },
      },
    }),
    db.metaAdAccount.findFirst({ where: { userId, isSelected: true }, select: AD_ACCOUNT_VIEW_SELECT }),
  ]);
  const readable = await Promise.all(
    rows.map(async (row) => {
      const read = await readTokens(() => db.account.findUnique({ where: { id: row.accountId }, select: { id: true, access_token: true } }));
      return read.ok && typeof read.value?.access_token === "string";
    }),
  );
  const connections = rows.map((row, i) =>
    toConnectionView(row, { adAccountCount: row._count.adAccounts, tokenReadable: readable[i]!, requiredScopes: required, now }),
  );
  return { status: overallStatus(connections), connections, selectedAdAccount: selected ? toAdAccountView(selected) : null };
}
