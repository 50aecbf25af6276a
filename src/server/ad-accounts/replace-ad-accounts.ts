import "server-only";
import type { DbTx } from "@/server/audit/record-audit-event";
import type { GraphAdAccount } from "@/server/integrations/facebook/schema";

/**
 * Makes a connection's stored ad accounts equal to what Meta just listed, in a handful of
 * statements whatever the size (5,000 accounts = 1 read + ≤ 5 inserts + ≤ 1 update + ≤ 1 delete):
 * new accounts are inserted in chunks, changed ones rewritten by one `UPDATE … FROM unnest(…)`,
 * vanished ones deleted. Rows that stay keep their id and `is_selected`, so the user's choice
 * survives a re-link whenever the account is still visible. Run inside the caller's transaction.
 */

type Fields = {
  adAccountId: string;
  accountId: string;
  name: string;
  currency: string;
  timezoneName: string;
  accountStatus: number;
  disableReason: number | null;
  businessId: string | null;
  businessName: string | null;
};

const COMPARED: (keyof Fields)[] = ["accountId", "name", "currency", "timezoneName", "accountStatus", "disableReason", "businessId", "businessName"];

// 13 columns per row: 1,000 rows stay far below PostgreSQL's 65,535 bind parameters per statement.
const INSERT_CHUNK = 1000;

export type ReplaceResult = { total: number; added: number; updated: number; removed: number; statements: number };

function fieldsOf(a: GraphAdAccount): Fields {
  return {
    adAccountId: a.id,
    accountId: a.account_id,
    name: a.name,
    currency: a.currency,
    timezoneName: a.timezone_name,
    accountStatus: a.account_status,
    disableReason: a.disable_reason ?? null,
    businessId: a.business?.id ?? null,
    businessName: a.business?.name ?? null,
  };
}

export async function replaceAdAccounts(
  tx: DbTx,
  o: { userId: string; connectionId: string; accounts: GraphAdAccount[]; now: Date },
): Promise<ReplaceResult> {
  let statements = 1;
  const existing = await tx.metaAdAccount.findMany({
    where: { connectionId: o.connectionId },
    select: { id: true, adAccountId: true, accountId: true, name: true, currency: true, timezoneName: true, accountStatus: true, disableReason: true, businessId: true, businessName: true },
  });
  const byAdAccountId = new Map(existing.map((row) => [row.adAccountId, row]));
  const seen = new Set<string>();
  const toCreate: Fields[] = [];
  const toUpdate: (Fields & { id: string })[] = [];
  for (const account of o.accounts) {
    const fields = fieldsOf(account);
    if (seen.has(fields.adAccountId)) continue;
    seen.add(fields.adAccountId);
    const row = byAdAccountId.get(fields.adAccountId);
    if (!row) toCreate.push(fields);
    else if (COMPARED.some((k) => row[k] !== fields[k])) toUpdate.push({ ...fields, id: row.id });
  }
  const toDelete = existing.filter((row) => !seen.has(row.adAccountId)).map((row) => row.id);

  if (toDelete.length > 0) {
    statements++;
    await tx.metaAdAccount.deleteMany({ where: { id: { in: toDelete } } });
  }
  for (let i = 0; i < toCreate.length; i += INSERT_CHUNK) {
    statements++;
    await tx.metaAdAccount.createMany({
      data: toCreate.slice(i, i + INSERT_CHUNK).map((f) => ({ ...f, userId: o.userId, connectionId: o.connectionId, syncedAt: o.now })),
      // A concurrent refresh of the same connection may have inserted the row first.
      skipDuplicates: true,
    });
  }
  if (toUpdate.length > 0) {
    statements++;
    const col = <K extends keyof Fields>(k: K) => toUpdate.map((f) => f[k]);
    await tx.$executeRawUnsafe(
      `UPDATE "meta_ad_accounts" AS t SET
         "account_id" = v.account_id, "name" = v.name, "currency" = v.currency, "timezone_name" = v.timezone_name,
         "account_status" = v.account_status, "disable_reason" = v.disable_reason,
         "business_id" = v.business_id, "business_name" = v.business_name,
         "synced_at" = $10, "updated_at" = $10
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::text[], $9::text[])
         AS v(id, account_id, name, currency, timezone_name, account_status, disable_reason, business_id, business_name)
       WHERE t.id = v.id AND t.connection_id = $11`,
      toUpdate.map((f) => f.id),
      col("accountId"),
      col("name"),
      col("currency"),
      col("timezoneName"),
      col("accountStatus"),
      col("disableReason"),
      col("businessId"),
      col("businessName"),
      o.now,
      o.connectionId,
    );
  }
  return { total: seen.size, added: toCreate.length, updated: toUpdate.length, removed: toDelete.length, statements };
}
