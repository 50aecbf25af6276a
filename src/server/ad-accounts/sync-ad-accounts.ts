import "server-only";
import { syncConnection } from "@/server/connections/sync-connection";
import type { Db } from "@/server/db";
import type { Registry } from "@/server/integrations/registry";
import { syncAdAccountsInput } from "./schema";

/**
 * "Refresh from Meta" (`POST /api/meta/ad-accounts/sync`): the connection's sync — permissions and
 * ad accounts re-read with the stored token and written like at link time. A dead token marks
 * the connection (it is not deleted) and the caller is told to reconnect.
 */
export type SyncResult = { adAccountCount: number; added: number; removed: number; updated: number };

export async function syncAdAccounts(db: Db, userId: string, input: { connectionId: string }, deps: { registry?: Registry; now?: () => Date } = {}): Promise<SyncResult> {
  const { connectionId } = syncAdAccountsInput.parse(input);
  const { assets } = await syncConnection(db, { userId, connectionId }, deps);
  return { adAccountCount: assets.adAccounts ?? 0, added: assets.added ?? 0, removed: assets.removed ?? 0, updated: assets.updated ?? 0 };
}
