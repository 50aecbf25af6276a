import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createMetaSandbox, DEFAULT_APP, signRequest } from "@/emulators/meta";
import { AppError } from "@/server/errors";
import { verifySignedRequest } from "./verify-signed-request";

const secret = DEFAULT_APP.appSecret;
const now = new Date();
const nowSec = Math.floor(now.getTime() / 1000);
const verify = (signed: string, maxAgeSeconds = 3600) => verifySignedRequest(signed, { appSecret: secret, now, maxAgeSeconds });

/** Signs an arbitrary payload (including a wrong algorithm) the way Meta does. */
function sign(payload: Record<string, unknown>, key = secret) {
  const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${createHmac("sha256", key).update(body).digest("base64url")}.${body}`;
}

function refusal(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("verifySignedRequest", () => {
  it("accepts the sandbox's deauthorize and data-deletion callbacks", () => {
    const sandbox = createMetaSandbox({ seed: 3 });
    const userId = sandbox.control.userId("solo");
    expect(verify(sandbox.control.callbackSignedRequest("solo", "deauthorize"))).toMatchObject({ user_id: userId, algorithm: "HMAC-SHA256" });
    expect(verify(sandbox.control.callbackSignedRequest("solo", "data_deletion")).expires).toBeGreaterThan(nowSec);
  });

  it("accepts a request signed with the emulator's own signer", () => {
    expect(verify(signRequest({ user_id: "123", issued_at: nowSec }, secret)).user_id).toBe("123");
  });

  it("refuses a bad signature (other secret, or a tampered payload)", () => {
    expect(refusal(() => verify(sign({ algorithm: "HMAC-SHA256", user_id: "1", issued_at: nowSec }, "another-secret"))).code).toBe("FORBIDDEN");
    const [sig] = sign({ algorithm: "HMAC-SHA256", user_id: "1", issued_at: nowSec }).split(".");
    const forged = Buffer.from(JSON.stringify({ algorithm: "HMAC-SHA256", user_id: "2", issued_at: nowSec })).toString("base64url");
    expect(refusal(() => verify(`${sig}.${forged}`)).code).toBe("FORBIDDEN");
  });

  it("refuses an algorithm other than HMAC-SHA256, even correctly signed", () => {
    const r = refusal(() => verify(sign({ algorithm: "HMAC-SHA1", user_id: "1", issued_at: nowSec })));
    expect(r).toEqual({ code: "VALIDATION_ERROR", message: "The signed_request uses an unsupported algorithm." });
  });

  it("refuses a stale issued_at, and honours the configured maximum age", () => {
    const old = sign({ algorithm: "HMAC-SHA256", user_id: "1", issued_at: nowSec - 3601 });
    expect(refusal(() => verify(old)).message).toBe("The signed_request is too old.");
    expect(verify(old, 7200).user_id).toBe("1");
    expect(refusal(() => verify(sign({ algorithm: "HMAC-SHA256", user_id: "1", issued_at: nowSec + 3600 }))).message).toContain("future");
  });

  it("refuses malformed input without throwing anything but a validation error", () => {
    for (const bad of ["", "nodot", ".payload", "sig.", "a+b.c/d", `${"a".repeat(43)}.${Buffer.from("not json").toString("base64url")}`]) {
      expect(["VALIDATION_ERROR", "FORBIDDEN"]).toContain(refusal(() => verify(bad)).code);
    }
    expect(refusal(() => verify(sign({ algorithm: "HMAC-SHA256", issued_at: nowSec }))).code).toBe("VALIDATION_ERROR");
  });
});
