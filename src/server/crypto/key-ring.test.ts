import { describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import { parseKeyRing } from "./key-ring";

const K1 = Buffer.alloc(32, 1).toString("base64");
const K2 = Buffer.alloc(32, 2).toString("base64");

function configErrorOf(text: string | undefined): AppError {
  try {
    parseKeyRing(text);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected a CONFIG_ERROR");
}

describe("parseKeyRing", () => {
  it("makes the first key current and every key available for decryption", () => {
    const ring = parseKeyRing(` new:${K2} , old:${K1}`);
    expect(ring.current.id).toBe("new");
    expect(ring.ids).toEqual(["new", "old"]);
    expect(ring.get("old")?.key.symmetricKeySize).toBe(32);
    expect(ring.get("nope")).toBeUndefined();
  });

  it("accepts unpadded base64url keys", () => {
    expect(parseKeyRing(`k1:${Buffer.alloc(32, 7).toString("base64url")}`).current.id).toBe("k1");
  });

  it("never shows key material when logged or serialised", () => {
    const ring = parseKeyRing(`k1:${K1}`);
    expect(JSON.stringify(ring)).toBe('{"current":"k1","ids":["k1"]}');
    expect(JSON.stringify(ring)).not.toContain(K1);
  });

  it.each([
    ["empty", "", /no keys are configured/],
    ["only commas", " , ", /no keys are configured/],
    ["missing", undefined, /no keys are configured/],
    ["a short key", `k1:${Buffer.alloc(16, 1).toString("base64")}`, /key "k1" is 16 bytes; AES-256 keys must be exactly 32 bytes/],
    ["a long key", `k1:${Buffer.alloc(33, 1).toString("base64")}`, /key "k1" is 33 bytes/],
    ["a duplicate id", `k1:${K1},k1:${K2}`, /key id "k1" appears more than once/],
    ["the same key twice", `a:${K1},b:${K1}`, /keys "a" and "b" are the same key/],
    ["bad base64", "k1:not*base64!", /key "k1" is not valid base64/],
    ["no key id", K1, /entry 1 has no key id/],
    ["an empty key id", `:${K1}`, /entry 1 has an empty key id/],
    ["a stray comma", `k1:${K1},,k2:${K2}`, /entry 2 is empty/],
    ["an id with a colon-like separator", `k 1:${K1}`, /entry 1: key id must be/],
  ])("refuses %s with CONFIG_ERROR and never echoes key material", (_name, text, message) => {
    const error = configErrorOf(text);
    expect(error.code).toBe("CONFIG_ERROR");
    expect(error.message).toMatch(message);
    expect(error.hint).toMatch(/openssl rand -base64 32/);
    for (const secret of [K1, K2, "not*base64!"]) {
      expect(error.message).not.toContain(secret);
      expect(error.hint).not.toContain(secret);
    }
  });
});
