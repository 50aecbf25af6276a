import "server-only";
import { ENVELOPE_PREFIX, type KeyRing } from "@/server/crypto";
import { ENCRYPTED_COLUMNS, type EncryptedColumn } from "@/server/db/encrypted-fields";
import type { RawClient } from "./rotate-keys";

/**
 * How many stored values sit under each key id (`npm run vault:status`). Counts only: it reads the
 * key id from each envelope's clear header and never decrypts anything. Rotation is finished when
 * every key id other than the current one shows 0 — only then may the old key be removed.
 */
export type KeyCount = { keyId: string; count: number; inRing: boolean; current: boolean };

export type VaultStatus = {
  currentKeyId: string;
  columns: { table: string; column: string; byKey: Record<string, number>; plaintext: number }[];
  /** Every key id found in the data or configured in the ring, current first. */
  keys: KeyCount[];
  /** Non-null values that are not vault envelopes (pre-vault data or written around the vault). */
  plaintext: number;
};

export async function getVaultStatus(db: RawClient, ring: KeyRing, columns: readonly EncryptedColumn[] = ENCRYPTED_COLUMNS): Promise<VaultStatus> {
  const totals = new Map<string, number>(ring.ids.map((id) => [id, 0]));
  const perColumn: VaultStatus["columns"] = [];
  let plaintext = 0;
  for (const col of columns) {
    const c = `"${col.column}"`;
    const rows = await db.$queryRawUnsafe<{ kid: string | null; n: number }[]>(
      `SELECT CASE WHEN starts_with(${c}, $1) THEN split_part(substr(${c}, length($1) + 1), ':', 1) END AS kid, count(*)::int AS n
       FROM "${col.table}" WHERE ${c} IS NOT NULL GROUP BY 1`,
      ENVELOPE_PREFIX,
    );
    const byKey: Record<string, number> = {};
    let columnPlaintext = 0;
    for (const row of rows) {
      if (row.kid === null) {
        columnPlaintext += row.n;
        continue;
      }
      byKey[row.kid] = row.n;
      totals.set(row.kid, (totals.get(row.kid) ?? 0) + row.n);
    }
    plaintext += columnPlaintext;
    perColumn.push({ table: col.table, column: col.column, byKey, plaintext: columnPlaintext });
  }
  const keys = [...totals].map(([keyId, count]) => ({
    keyId,
    count,
    inRing: ring.get(keyId) !== undefined,
    current: keyId === ring.current.id,
  }));
  keys.sort((a, b) => Number(b.current) - Number(a.current) || Number(b.inRing) - Number(a.inRing));
  return { currentKeyId: ring.current.id, columns: perColumn, keys, plaintext };
}
