import "server-only";
import { createSecretKey, timingSafeEqual, type KeyObject } from "node:crypto";
import { AppError } from "@/server/errors";

/**
 * The keys from ENCRYPTION_KEYS (`kid:base64-32-bytes`, comma-separated). The first encrypts; all
 * decrypt. Keys are held as KeyObjects: imported once, and `console.log`/JSON of a ring shows ids only.
 */
export type VaultKey = { readonly id: string; readonly key: KeyObject };

export type KeyRing = {
  readonly current: VaultKey;
  readonly ids: readonly string[];
  get(id: string): VaultKey | undefined;
};

// Key ids travel inside every envelope (`vault:v1:<kid>:…`), so they may not contain ":".
const KEY_ID = /^[A-Za-z0-9_.-]{1,32}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const HINT = "Set ENCRYPTION_KEYS to `kid:base64key[,kid:base64key…]`, each key 32 random bytes, e.g. `k2:$(openssl rand -base64 32)`. See docs/operations.md.";

// Raw key bytes for the hot path: OpenSSL sets up a cipher ~1 µs faster from bytes than from a
// KeyObject. Held in a WeakMap so they never appear when a ring or key is logged or serialised.
const RAW = new WeakMap<VaultKey, Buffer>();

/** @internal for ./envelope.ts only. */
export function keyBytes(key: VaultKey): Buffer {
  return RAW.get(key)!;
}

function configError(message: string): AppError {
  return new AppError({ code: "CONFIG_ERROR", message: `ENCRYPTION_KEYS: ${message}`, hint: HINT });
}

/** Parses and validates a key ring. Errors name the entry and the key id, never key material. */
export function parseKeyRing(text: string | undefined): KeyRing {
  const entries = (text ?? "").split(",").map((e) => e.trim());
  if (entries.every((e) => e === "")) throw configError("no keys are configured.");

  const keys: VaultKey[] = [];
  const raw: Buffer[] = [];
  entries.forEach((entry, index) => {
    const position = `entry ${index + 1}`;
    if (entry === "") throw configError(`${position} is empty (stray comma?).`);
    const colon = entry.indexOf(":");
    if (colon < 0) throw configError(`${position} has no key id; expected \`kid:base64key\`.`);
    const id = entry.slice(0, colon).trim();
    const encoded = entry.slice(colon + 1).trim();
    if (id === "") throw configError(`${position} has an empty key id.`);
    if (!KEY_ID.test(id)) {
      throw configError(`${position}: key id must be 1–32 characters of letters, digits, "_", "-" or ".".`);
    }
    if (keys.some((k) => k.id === id)) throw configError(`key id "${id}" appears more than once.`);
    if (encoded === "" || !(BASE64.test(encoded) || BASE64URL.test(encoded))) {
      throw configError(`key "${id}" is not valid base64.`);
    }
    const bytes = Buffer.from(encoded, BASE64.test(encoded) ? "base64" : "base64url");
    if (bytes.length !== 32) {
      throw configError(`key "${id}" is ${bytes.length} bytes; AES-256 keys must be exactly 32 bytes.`);
    }
    const twin = raw.findIndex((other) => timingSafeEqual(other, bytes));
    if (twin >= 0) throw configError(`keys "${keys[twin]!.id}" and "${id}" are the same key; give each id its own key.`);
    raw.push(bytes);
    const vaultKey = Object.freeze({ id, key: createSecretKey(bytes) });
    RAW.set(vaultKey, bytes);
    keys.push(vaultKey);
  });
  return createKeyRing(keys);
}

function createKeyRing(keys: VaultKey[]): KeyRing {
  const byId = new Map(keys.map((k) => [k.id, k]));
  const ids = Object.freeze(keys.map((k) => k.id));
  const ring: KeyRing = {
    current: keys[0]!,
    ids,
    get: (id) => byId.get(id),
  };
  Object.defineProperty(ring, "toJSON", { value: () => ({ current: keys[0]!.id, ids }), enumerable: false });
  return Object.freeze(ring);
}
