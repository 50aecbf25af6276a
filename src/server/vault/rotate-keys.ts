import "server-only";
import { ENVELOPE_PREFIX, open, seal, VaultDecryptError, type KeyRing } from "@/server/crypto";
import type { BaseClient } from "@/server/db/client";
import { ENCRYPTED_COLUMNS, type EncryptedColumn } from "@/server/db/encrypted-fields";

/**
 * Re-encrypts every encrypted column under the ring's current key (`npm run vault:rotate`).
 *
 * - Batches: reads `batchSize` rows not yet under the current key, ordered by id.
 * - Resumable and idempotent: rows already under the current key are never selected, so a
 *   stopped run simply continues on the next, and a finished one finds nothing to do.
 * - Safe while the app serves traffic: each row is rewritten only if its value is still the one
 *   read (`… WHERE t.id = v.id AND t.col = v.prev`). A row the app wrote in between is left alone —
 *   the app already wrote it under the current key — and counted as a conflict.
 * - Values that do not decrypt are skipped and counted (their owners must re-link); plaintext is
 *   skipped unless `encryptPlaintext` adopts it.
 *
 * Raw SQL, so it runs on any client (the extension is not involved) and never holds a plaintext
 * beyond one batch in memory. Returns counts and row ids only.
 */
export type RawClient = Pick<BaseClient, "$queryRawUnsafe">;

export type ColumnRotation = {
  table: string;
  column: string;
  scanned: number;
  rotated: number;
  conflicts: number;
  undecryptable: number;
  plaintextSkipped: number;
  plaintextEncrypted: number;
  /** Rows whose value could not be decrypted (ids only, capped at 100). */
  undecryptableIds: string[];
};

export type RotateProgress = ColumnRotation & { batch: number };

export type RotateOptions = {
  batchSize?: number;
  encryptPlaintext?: boolean;
  onProgress?: (progress: RotateProgress) => void;
  /** Runs after a batch is re-encrypted and before it is written (a seam for tests and tracing). */
  beforeWrite?: (batch: { table: string; column: string; ids: string[] }) => Promise<void> | void;
  columns?: readonly EncryptedColumn[];
};

export type RotateResult = {
  keyId: string;
  columns: ColumnRotation[];
  totals: Omit<ColumnRotation, "table" | "column" | "undecryptableIds">;
};

// Anything starting like an envelope is treated as one (a malformed one is "undecryptable", not plaintext).
const VAULT_MARK = "vault:";
const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

export async function rotateKeys(db: RawClient, ring: KeyRing, options: RotateOptions = {}): Promise<RotateResult> {
  const batchSize = options.batchSize ?? 500;
  const currentPrefix = `${ENVELOPE_PREFIX}${ring.current.id}:`;
  const columns: ColumnRotation[] = [];

  for (const col of options.columns ?? ENCRYPTED_COLUMNS) {
    const table = quote(col.table);
    const column = quote(col.column);
    const stats: ColumnRotation = {
      table: col.table,
      column: col.column,
      scanned: 0,
      rotated: 0,
      conflicts: 0,
      undecryptable: 0,
      plaintextSkipped: 0,
      plaintextEncrypted: 0,
      undecryptableIds: [],
    };
    let cursor = "";
    for (let batch = 1; ; batch++) {
      const rows = await db.$queryRawUnsafe<{ id: string; value: string }[]>(
        `SELECT id, ${column} AS value FROM ${table}
         WHERE ${column} IS NOT NULL AND NOT starts_with(${column}, $1) AND id > $2
         ORDER BY id LIMIT $3`,
        currentPrefix,
        cursor,
        batchSize,
      );
      if (rows.length === 0) break;
      cursor = rows[rows.length - 1]!.id;
      stats.scanned += rows.length;

      const ids: string[] = [];
      const prev: string[] = [];
      const next: string[] = [];
      for (const row of rows) {
        const where = { table: col.table, column: col.column, rowId: row.id };
        let plaintext: string;
        if (!row.value.startsWith(VAULT_MARK)) {
          if (!options.encryptPlaintext) {
            stats.plaintextSkipped++;
            continue;
          }
          plaintext = row.value;
        } else {
          try {
            plaintext = open(ring, row.value, where);
          } catch (error) {
            if (!(error instanceof VaultDecryptError)) throw error;
            stats.undecryptable++;
            if (stats.undecryptableIds.length < 100) stats.undecryptableIds.push(row.id);
            continue;
          }
        }
        ids.push(row.id);
        prev.push(row.value);
        next.push(seal(ring, plaintext, where));
      }

      if (ids.length > 0) {
        await options.beforeWrite?.({ table: col.table, column: col.column, ids: [...ids] });
        const written = await db.$queryRawUnsafe<{ id: string }[]>(
          `UPDATE ${table} AS t SET ${column} = v.next
           FROM unnest($1::text[], $2::text[], $3::text[]) AS v(id, prev, next)
           WHERE t.id = v.id AND t.${column} = v.prev
           RETURNING t.id`,
          ids,
          prev,
          next,
        );
        const writtenIds = new Set(written.map((w) => w.id));
        const adoptedWritten = ids.filter((id, i) => writtenIds.has(id) && !prev[i]!.startsWith(VAULT_MARK)).length;
        stats.plaintextEncrypted += adoptedWritten;
        stats.rotated += written.length - adoptedWritten;
        stats.conflicts += ids.length - written.length;
      }
      options.onProgress?.({ ...stats, undecryptableIds: [...stats.undecryptableIds], batch });
    }
    columns.push(stats);
  }

  const sum = (key: keyof RotateResult["totals"]) => columns.reduce((n, c) => n + c[key], 0);
  return {
    keyId: ring.current.id,
    columns,
    totals: {
      scanned: sum("scanned"),
      rotated: sum("rotated"),
      conflicts: sum("conflicts"),
      undecryptable: sum("undecryptable"),
      plaintextSkipped: sum("plaintextSkipped"),
      plaintextEncrypted: sum("plaintextEncrypted"),
    },
  };
}
