import "server-only";
import { AppError } from "@/server/errors";

/** Where an encrypted value lives. Never the value itself. */
export type FieldLocation = { table: string; column: string; rowId: string };

export type VaultDecryptReason =
  /** The column holds something that is not a vault envelope (plaintext or garbage). */
  | "not_encrypted"
  /** An envelope we cannot parse (wrong version, truncated, bad base64). */
  | "malformed"
  /** The envelope names a key id that is not in ENCRYPTION_KEYS (removed too early, or foreign data). */
  | "unknown_key"
  /** GCM rejected it: tampered, or copied from another row/column (associated data differs), or wrong key. */
  | "authentication_failed";

/**
 * A stored token could not be decrypted. Callers treat the connection as needing re-link
 * (see `readTokens` in src/server/vault/read-tokens.ts). Carries where, never what: the message,
 * the fields and the JSON form hold table, column, row id and reason only.
 */
export class VaultDecryptError extends AppError {
  readonly table: string;
  readonly column: string;
  readonly rowId: string;
  readonly reason: VaultDecryptReason;
  readonly keyId?: string;

  constructor(location: FieldLocation, reason: VaultDecryptReason, keyId?: string) {
    super({
      code: "INTERNAL_ERROR",
      message: `Could not decrypt ${location.table}.${location.column} of row ${location.rowId} (${reason}).`,
      hint: "The stored token is unusable; the owner must link the account again.",
    });
    this.name = "VaultDecryptError";
    this.table = location.table;
    this.column = location.column;
    this.rowId = location.rowId;
    this.reason = reason;
    this.keyId = keyId;
  }

  toJSON() {
    return { name: this.name, table: this.table, column: this.column, rowId: this.rowId, reason: this.reason, keyId: this.keyId };
  }
}

export function isVaultDecryptError(error: unknown): error is VaultDecryptError {
  return error instanceof VaultDecryptError;
}

/** A write the vault cannot encrypt safely (it refuses rather than storing plaintext). */
export class VaultWriteError extends AppError {
  constructor(message: string) {
    super({ code: "INTERNAL_ERROR", message, hint: "See docs/decisions/006-vault-envelope.md for the supported write paths." });
    this.name = "VaultWriteError";
  }
}
