import { randomBytes } from "node:crypto";
import { SCOPE, tokenKey } from "./auth";
import { signJwt } from "./jwt";
import { DAY, now, type Account, type RefreshRecord, type Runtime } from "./state";

/** Session tokens: access 120 minutes, refresh 90 days, rotation with a grace period. */

export const ACCESS_TTL_S = 120 * 60;
export const REFRESH_TTL_S = 90 * 24 * 3600;

export type Session = { accessJwt: string; refreshJwt: string };

const newJti = () => randomBytes(24).toString("base64url");

function prune(rt: Runtime): void {
  const t = now(rt);
  for (const [k, a] of Object.entries(rt.s.accessTokens)) if (a.exp * 1000 <= t) delete rt.s.accessTokens[k];
  // Rotated or revoked refresh records are useless once their (grace) expiry has passed a day ago.
  for (const [k, r] of Object.entries(rt.s.refreshTokens)) if (r.expiresAt < t - DAY) delete rt.s.refreshTokens[k];
}

export function issueSession(rt: Runtime, account: Account, o: { scope: string; appPassword: string | null; jti?: string }): Session {
  prune(rt);
  const iat = Math.floor(now(rt) / 1000);
  const common = { aud: rt.serviceDid, sub: account.did, iat };
  const accessJwt = signJwt(rt.s.signingKey, "at+jwt", { scope: o.scope, ...common, exp: iat + ACCESS_TTL_S });
  const jti = o.jti ?? newJti();
  const refreshJwt = signJwt(rt.s.signingKey, "refresh+jwt", { scope: SCOPE.refresh, ...common, jti, exp: iat + REFRESH_TTL_S });
  // A second use within the grace period re-issues the same next jti: keep its record as it is.
  rt.s.refreshTokens[jti] ??= { jti, did: account.did, appPassword: o.appPassword, scope: o.scope, expiresAt: (iat + REFRESH_TTL_S) * 1000 };
  rt.s.accessTokens[tokenKey(accessJwt)] = { did: account.did, appPassword: o.appPassword, exp: iat + ACCESS_TTL_S };
  rt.secrets.add(accessJwt);
  rt.secrets.add(refreshJwt);
  return { accessJwt, refreshJwt };
}

/** The PDS's rotation: the used token lives on for the grace period and always leads to the same next jti. */
export function rotate(rt: Runtime, rec: RefreshRecord): Session {
  const account = rt.s.accounts[rec.did]!;
  rec.nextId ??= newJti();
  rec.expiresAt = Math.min(rec.expiresAt, now(rt) + rt.s.settings.refreshGraceMs);
  return issueSession(rt, account, { scope: rec.scope, appPassword: rec.appPassword, jti: rec.nextId });
}

/** Delete refresh tokens (and, if the sandbox is told to, kill live access tokens) matching a login. */
export function revokeSessions(rt: Runtime, did: string, match: (appPassword: string | null) => boolean): number {
  let n = 0;
  for (const [k, r] of Object.entries(rt.s.refreshTokens)) {
    if (r.did === did && match(r.appPassword)) {
      delete rt.s.refreshTokens[k];
      n++;
    }
  }
  if (rt.s.settings.killAccessOnRevoke) {
    for (const a of Object.values(rt.s.accessTokens)) if (a.did === did && match(a.appPassword)) a.killed = true;
  }
  return n;
}

export function didDoc(account: Account, serviceEndpoint: string) {
  return {
    "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
    id: account.did,
    alsoKnownAs: [`at://${account.handle}`],
    verificationMethod: [
      { id: `${account.did}#atproto`, type: "Multikey", controller: account.did, publicKeyMultibase: "zQ3shSandboxKeyNotForVerification" },
    ],
    service: [{ id: "#atproto_pds", type: "AtprotoPersonalDataServer", serviceEndpoint }],
  };
}

/** The body createSession and refreshSession share; `status` only when the account is not active. */
export function sessionBody(account: Account, base: string, session?: Session) {
  const inactive = account.status === "takendown" || account.status === "deactivated";
  return {
    ...(session ?? {}),
    handle: account.handle,
    did: account.did,
    didDoc: didDoc(account, base),
    email: account.email,
    emailConfirmed: account.emailConfirmed,
    emailAuthFactor: account.emailAuthFactor,
    active: !inactive,
    ...(inactive ? { status: account.status } : {}),
  };
}
