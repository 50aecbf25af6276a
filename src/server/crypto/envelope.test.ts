import { describe, expect, it } from "vitest";
import { ENVELOPE_PREFIX, envelopeKeyId, isEnvelope, open, seal } from "./envelope";
import { VaultDecryptError } from "./errors";
import { parseKeyRing } from "./key-ring";

const K1 = `k1:${Buffer.alloc(32, 1).toString("base64")}`;
const K2 = `k2:${Buffer.alloc(32, 2).toString("base64")}`;
const ring = parseKeyRing(K1);
const here = { table: "accounts", column: "access_token", rowId: "row-1" };
const TOKEN = "EAAGm0PX4ZCpsBAtoken-value";

function decryptError(fn: () => unknown): VaultDecryptError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(VaultDecryptError);
    return error as VaultDecryptError;
  }
  throw new Error("expected VaultDecryptError");
}

/** Flips one bit of the byte at `index` of the decoded payload. */
function tamper(envelope: string, index: number): string {
  const cut = envelope.lastIndexOf(":") + 1;
  const body = Buffer.from(envelope.slice(cut), "base64url");
  body[index] = body[index]! ^ 0x01;
  return envelope.slice(0, cut) + body.toString("base64url");
}

describe("vault envelope", () => {
  it("round-trips and carries version and key id in the clear", () => {
    const sealed = seal(ring, TOKEN, here);
    expect(sealed.startsWith(`${ENVELOPE_PREFIX}k1:`)).toBe(true);
    expect(sealed).not.toContain(TOKEN);
    expect(isEnvelope(sealed)).toBe(true);
    expect(envelopeKeyId(sealed)).toBe("k1");
    expect(open(ring, sealed, here)).toBe(TOKEN);
  });

  it("lays out iv (12) ‖ ciphertext (n) ‖ tag (16)", () => {
    const sealed = seal(ring, "abc", here);
    const body = Buffer.from(sealed.split(":")[3]!, "base64url");
    expect(body.length).toBe(12 + 3 + 16);
  });

  it("round-trips empty and non-ASCII values", () => {
    expect(open(ring, seal(ring, "", here), here)).toBe("");
    expect(open(ring, seal(ring, "jeton-é-🔑", here), here)).toBe("jeton-é-🔑");
  });

  it("uses a fresh IV every time", () => {
    expect(seal(ring, TOKEN, here)).not.toBe(seal(ring, TOKEN, here));
  });

  it.each([
    ["another row", { ...here, rowId: "row-2" }],
    ["another column", { ...here, column: "refresh_token" }],
    ["another table", { ...here, table: "pages" }],
  ])("refuses a value moved to %s", (_name, elsewhere) => {
    const error = decryptError(() => open(ring, seal(ring, TOKEN, here), elsewhere));
    expect(error.reason).toBe("authentication_failed");
    expect(error.rowId).toBe(elsewhere.rowId);
  });

  it.each([
    ["the IV", 0],
    ["the ciphertext", 14],
    ["the tag", -1],
  ])("refuses a value with one bit flipped in %s", (_name, index) => {
    const sealed = seal(ring, TOKEN, here);
    const length = Buffer.from(sealed.split(":")[3]!, "base64url").length;
    const error = decryptError(() => open(ring, tamper(sealed, index < 0 ? length + index : index), here));
    expect(error.reason).toBe("authentication_failed");
    expect(error.message).not.toContain(TOKEN);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
  });

  it("refuses a relabelled key id even when that key exists", () => {
    const both = parseKeyRing(`${K1},${K2}`);
    const relabelled = seal(both, TOKEN, here).replace(`${ENVELOPE_PREFIX}k1:`, `${ENVELOPE_PREFIX}k2:`);
    expect(decryptError(() => open(both, relabelled, here)).reason).toBe("authentication_failed");
  });

  it("decrypts with an older key and encrypts with the first", () => {
    const old = seal(ring, TOKEN, here);
    const rotated = parseKeyRing(`${K2},${K1}`);
    expect(open(rotated, old, here)).toBe(TOKEN);
    expect(envelopeKeyId(seal(rotated, TOKEN, here))).toBe("k2");
  });

  it("names the unknown key id once that key is removed", () => {
    const sealed = seal(parseKeyRing(K2), TOKEN, here);
    const error = decryptError(() => open(ring, sealed, here));
    expect(error.reason).toBe("unknown_key");
    expect(error.keyId).toBe("k2");
  });

  it("refuses plaintext and malformed values instead of returning them", () => {
    expect(decryptError(() => open(ring, TOKEN, here)).reason).toBe("not_encrypted");
    expect(decryptError(() => open(ring, "vault:v1:k1:short", here)).reason).toBe("malformed");
    expect(decryptError(() => open(ring, "vault:v2:k1:" + "A".repeat(40), here)).reason).toBe("malformed");
    expect(isEnvelope(TOKEN)).toBe(false);
    expect(isEnvelope(null)).toBe(false);
    expect(isEnvelope(`vault:v1:k1:${"A".repeat(37)}`)).toBe(false);
    expect(isEnvelope(`vault:v1:k1:${"A".repeat(38)}`)).toBe(true);
    expect(envelopeKeyId(TOKEN)).toBeNull();
  });
});
