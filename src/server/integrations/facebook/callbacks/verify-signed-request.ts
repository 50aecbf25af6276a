import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { AppError } from "@/server/errors";

/**
 * Meta's `signed_request` (reference §13.1): `<sig>.<payload>`, both base64url without padding;
 * sig = HMAC-SHA256 over the payload segment exactly as sent, keyed with the app secret.
 * Refused: anything malformed, a signature that does not match (constant-time compare), an
 * algorithm other than HMAC-SHA256, and an `issued_at` older than `maxAgeSeconds` (a replayed
 * callback) or too far in the future.
 */

/** @link https://developers.facebook.com/docs/facebook-login/manually-build-a-login-flow/#deauth-callback */
export const signedRequestPayloadSchema = z.object({
  algorithm: z.string(),
  // The app-scoped user id.
  user_id: z.string().regex(/^\d{1,32}$/),
  issued_at: z.number().int().positive(),
  // Data deletion requests only.
  expires: z.number().int().optional(),
});
export type SignedRequestPayload = z.infer<typeof signedRequestPayloadSchema>;

const SEGMENT = /^[A-Za-z0-9_-]+$/;
// Clocks differ; a request "from the future" beyond this is not Meta's.
const FUTURE_SKEW_SECONDS = 300;

const invalid = (message: string) =>
  new AppError({ code: "VALIDATION_ERROR", message, hint: "Meta signs these callbacks with the app secret; this request was not accepted." });

export function verifySignedRequest(
  signedRequest: string,
  o: { appSecret: string; now: Date; maxAgeSeconds: number },
): SignedRequestPayload {
  const dot = signedRequest.indexOf(".");
  const sig = signedRequest.slice(0, dot);
  const payload = signedRequest.slice(dot + 1);
  if (dot <= 0 || !SEGMENT.test(sig) || !SEGMENT.test(payload)) throw invalid("The signed_request is malformed.");

  const expected = createHmac("sha256", o.appSecret).update(payload).digest();
  const given = Buffer.from(sig, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AppError({ code: "FORBIDDEN", message: "The signed_request signature does not match.", hint: "Check META_APP_SECRET." });
  }

  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    throw invalid("The signed_request payload is not JSON.");
  }
  const parsed = signedRequestPayloadSchema.safeParse(json);
  if (!parsed.success) throw invalid("The signed_request payload is missing user_id or issued_at.");
  if (parsed.data.algorithm.toUpperCase() !== "HMAC-SHA256") throw invalid("The signed_request uses an unsupported algorithm.");

  const nowSec = Math.floor(o.now.getTime() / 1000);
  if (parsed.data.issued_at < nowSec - o.maxAgeSeconds) throw invalid("The signed_request is too old.");
  if (parsed.data.issued_at > nowSec + FUTURE_SKEW_SECONDS) throw invalid("The signed_request is dated in the future.");
  return parsed.data;
}
