import { createHash } from "node:crypto";
import type { DialogRequest, Runtime } from "./profile";
import { secretKey, type CodeRecord } from "./state";

/** Authorization codes: single use, short-lived, bound to client, redirect URI and PKCE challenge. */

export function issueCode(rt: Runtime, d: DialogRequest, personaId: string, granted: string[], refresh: boolean): string {
  const value = rt.profile.dialog.mintCode();
  const t = rt.now();
  const rec: CodeRecord = {
    clientId: d.client.clientId,
    personaId,
    redirectUri: d.redirectUri,
    scopes: granted,
    createdAt: t,
    expiresAt: t + rt.profile.dialog.codeTtlMs,
    refresh,
  };
  if (d.codeChallenge) {
    rec.challenge = d.codeChallenge;
    rec.challengeMethod = d.codeChallengeMethod ?? "plain";
  }
  if (d.nonce) rec.nonce = d.nonce;
  rt.s.codes[secretKey(value)] = rec;
  pruneCodes(rt);
  return value;
}

/** Drop codes long past their lifetime so a dev sandbox's state stays small. */
function pruneCodes(rt: Runtime): void {
  const cutoff = rt.now() - 24 * 3600_000;
  for (const [k, c] of Object.entries(rt.s.codes)) if (c.expiresAt < cutoff) delete rt.s.codes[k];
}

export function s256(verifier: string, encoding: "base64url" | "hex" = "base64url"): string {
  return createHash("sha256").update(verifier).digest(encoding);
}

/** RFC 7636 verification; TikTok's desktop guide hex-encodes the S256 digest, so that is a switch. */
export function verifyPkce(rec: CodeRecord, verifier: string | undefined, o: { allowHex?: boolean } = {}): boolean {
  if (!rec.challenge) return true;
  if (!verifier) return false;
  if (rec.challengeMethod === "plain") return verifier === rec.challenge;
  if (rec.challengeMethod !== "S256") return false;
  return s256(verifier) === rec.challenge || (!!o.allowHex && s256(verifier, "hex") === rec.challenge.toLowerCase());
}

export type RedeemError = "unknown" | "used" | "expired" | "client_mismatch" | "redirect_mismatch" | "pkce_mismatch";

export type Redeemed = { ok: true; code: CodeRecord } | { ok: false; error: RedeemError; code?: CodeRecord };

/**
 * Check every binding of a code and spend it. `redirectUri: null` skips the redirect check (for
 * platforms where it is optional in the exchange). Failed attempts do not spend the code.
 */
export function redeemCode(
  rt: Runtime,
  value: string | undefined,
  o: { clientId: string; redirectUri: string | null | undefined; codeVerifier: string | undefined; allowHexPkce?: boolean },
): Redeemed {
  const code = value ? rt.s.codes[secretKey(value)] : undefined;
  if (!code) return { ok: false, error: "unknown" };
  if (code.usedAt !== undefined) return { ok: false, error: "used", code };
  if (code.expiresAt <= rt.now()) return { ok: false, error: "expired", code };
  if (code.clientId !== o.clientId) return { ok: false, error: "client_mismatch", code };
  if (o.redirectUri !== null && o.redirectUri !== code.redirectUri) return { ok: false, error: "redirect_mismatch", code };
  if (!verifyPkce(code, o.codeVerifier, { allowHex: o.allowHexPkce })) return { ok: false, error: "pkce_mismatch", code };
  code.usedAt = rt.now();
  return { ok: true, code };
}
