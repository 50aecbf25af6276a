import "server-only";
import { isVaultDecryptError, type VaultDecryptError } from "@/server/crypto";
import { logger } from "@/server/logger";

/**
 * How callers read tokens. A stored token that does not decrypt (tampered, copied between rows,
 * or its key removed from ENCRYPTION_KEYS) is not an outage: it means the connection must be
 * linked again. Wrap the read; on `needsRelink`, mark the connection for re-link and carry on.
 *
 *   const read = await readTokens(() => db.account.findUnique({ where: { id } }));
 *   if (!read.ok) return markNeedsRelink(connectionId);   // read.error has table/column/rowId/reason
 *   const token = read.value?.access_token;
 *
 * Other errors are rethrown. Logs where, never what.
 */
export type TokenRead<T> = { ok: true; value: T } | { ok: false; needsRelink: true; error: VaultDecryptError };

export async function readTokens<T>(read: () => Promise<T>): Promise<TokenRead<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    if (!isVaultDecryptError(error)) throw error;
    logger.warn({ vault: error.toJSON() }, "stored token could not be decrypted; connection needs re-link");
    return { ok: false, needsRelink: true, error };
  }
}
