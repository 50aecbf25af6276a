import { randomBytes } from "node:crypto";
import { GraphError } from "./errors";
import { getGrant, nextSeq, now, type SandboxState, type TokenRecord } from "./state";
import type { TokenInvalidationReason } from "./types";

export const HOUR = 3600_000;
export const DAY = 24 * HOUR;
export const SHORT_LIVED_MS = 2 * HOUR;
export const LONG_LIVED_MS = 60 * DAY;
export const DATA_ACCESS_MS = 90 * DAY;

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export function randomAlnum(n: number): string {
  const bytes = randomBytes(n);
  let out = "";
  for (const b of bytes) out += ALNUM[b % ALNUM.length];
  return out;
}

function register(s: SandboxState, rec: Omit<TokenRecord, "id" | "value">, prefix = "EAA"): TokenRecord {
  const full: TokenRecord = { ...rec, id: `tok_${nextSeq(s)}`, value: `${prefix}${randomAlnum(180)}` };
  s.world.tokens[full.value] = full;
  return full;
}

export function issueUserToken(
  s: SandboxState,
  o: { appId: string; personaId: string; userId: string; lifetime: "short" | "long" | "never"; authType?: string },
): TokenRecord {
  const t = now(s);
  const expiresAt = o.lifetime === "never" ? 0 : t + (o.lifetime === "long" ? LONG_LIVED_MS : SHORT_LIVED_MS);
  return register(s, {
    type: "USER",
    appId: o.appId,
    personaId: o.personaId,
    userId: o.userId,
    issuedAt: t,
    expiresAt,
    longLived: o.lifetime !== "short",
  });
}

/** Long-lived exchange: a new string; a long-lived input keeps its expiry (re-exchange does not extend). */
export function exchangeForLongLived(s: SandboxState, input: TokenRecord): TokenRecord {
  const t = now(s);
  const expiresAt = input.longLived ? input.expiresAt : t + LONG_LIVED_MS;
  return register(s, { ...input, issuedAt: input.longLived ? input.issuedAt : t, expiresAt, longLived: true, invalid: undefined });
}

/** Page tokens from a long-lived user token never expire; from a short-lived one they last about an hour (§2.3), never longer than it. */
export function pageTokenFor(s: SandboxState, user: TokenRecord, pageId: string): TokenRecord {
  const key = `${user.id}:${pageId}`;
  const cachedValue = s.world.pageTokens[key];
  const cached = cachedValue === undefined ? undefined : s.world.tokens[cachedValue];
  if (cached && !cached.invalid) return cached;
  const rec = register(s, {
    type: "PAGE",
    appId: user.appId,
    personaId: user.personaId,
    userId: user.userId,
    issuedAt: now(s),
    expiresAt: user.longLived ? 0 : Math.min(user.expiresAt, now(s) + HOUR),
    longLived: user.longLived,
    pageId,
    parentId: user.id,
  });
  s.world.pageTokens[key] = rec.value;
  return rec;
}

export function issueAppToken(s: SandboxState, appId: string): TokenRecord {
  const rec: TokenRecord = {
    id: `app:${appId}`,
    value: `${appId}|${randomAlnum(27)}`,
    type: "APP",
    appId,
    issuedAt: now(s),
    expiresAt: 0,
    longLived: true,
  };
  s.world.tokens[rec.value] = rec;
  return rec;
}

/** Find a token by its string; the literal "app_id|app_secret" is an app token too. */
export function lookupToken(s: SandboxState, value: string): TokenRecord | GraphError {
  const found = s.world.tokens[value];
  if (found) return found;
  const pipe = value.indexOf("|");
  if (pipe > 0) {
    const app = s.apps.get(value.slice(0, pipe));
    if (app && value.slice(pipe + 1) === app.appSecret) {
      return { id: `app:${app.appId}`, value, type: "APP", appId: app.appId, issuedAt: 0, expiresAt: 0, longLived: true };
    }
    return new GraphError({ code: 190, message: "Invalid OAuth access token signature." });
  }
  return new GraphError({ code: 190, message: "Invalid OAuth access token - Cannot parse access token" });
}

const PACIFIC = new Intl.DateTimeFormat("en-US", {
  timeZone: "America/Los_Angeles",
  weekday: "long",
  day: "2-digit",
  month: "short",
  year: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hour12: false,
  timeZoneName: "short",
});

/** Meta's format: "Friday, 01-May-26 10:00:00 PDT". */
export function metaDate(ms: number): string {
  const parts = Object.fromEntries(PACIFIC.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const hour = parts.hour === "24" ? "00" : parts.hour;
  return `${parts.weekday}, ${parts.day}-${parts.month}-${parts.year} ${hour}:${parts.minute}:${parts.second} ${parts.timeZoneName}`;
}

export const DATA_ACCESS_LAPSED = "The access token is invalid since the user hasn't engaged the app in longer than 90 days.";

export function sessionExpired(expiredAt: number, at: number): string {
  return `Error validating access token: Session has expired on ${metaDate(expiredAt)}. The current time is ${metaDate(at)}.`;
}

/** Why a token can't be used right now, as Meta would say it; null when it is fine. */
export function tokenProblem(s: SandboxState, t: TokenRecord): GraphError | null {
  if (t.invalid) return new GraphError({ code: 190, subcode: t.invalid.subcode, message: t.invalid.message });
  const at = now(s);
  if (t.expiresAt !== 0 && at >= t.expiresAt) {
    return new GraphError({ code: 190, subcode: 463, message: sessionExpired(t.expiresAt, at) });
  }
  if (t.type !== "APP" && t.personaId) {
    const g = getGrant(s, t.appId, t.personaId);
    if (g && at >= g.dataAccessExpiresAt) {
      if (t.type !== "PAGE" || s.pageTokensFollowDataAccess) return new GraphError({ code: 190, subcode: 493, message: DATA_ACCESS_LAPSED });
    }
  }
  return null;
}

export const INVALIDATION: Record<TokenInvalidationReason, (appId: string) => { subcode: number; message: string }> = {
  password_changed: () => ({
    subcode: 460,
    message:
      "Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.",
  }),
  app_removed: (appId) => ({ subcode: 458, message: `Error validating access token: The user has not authorized application ${appId}.` }),
  logged_out: () => ({ subcode: 467, message: "Error validating access token: The session is invalid because the user logged out." }),
  api_call: () => ({ subcode: 466, message: "Error validating access token: The session was invalidated explicitly using an API call." }),
  checkpoint: () => ({
    subcode: 459,
    message: "Error validating access token: You cannot access the app till you log in to www.facebook.com and follow the instructions given.",
  }),
  unconfirmed: () => ({
    subcode: 464,
    message: "Error validating access token: Sessions for the user are not allowed because the user is not a confirmed user.",
  }),
  page_role_removed: () => ({ subcode: 492, message: "Error validating access token: The user does not have a role on this Page anymore." }),
};

/** Kill every live token of a persona (optionally only one app's / one Page's). Returns how many. */
export function invalidatePersonaTokens(
  s: SandboxState,
  personaId: string,
  reason: TokenInvalidationReason,
  o: { appId?: string; pageId?: string } = {},
): number {
  let n = 0;
  for (const t of Object.values(s.world.tokens)) {
    if (t.type === "APP" || t.personaId !== personaId || t.invalid) continue;
    if (o.appId && t.appId !== o.appId) continue;
    // A Page named (or a lost Page role) narrows it to Page tokens: that Page's, or every Page's.
    if ((o.pageId || reason === "page_role_removed") && (t.type !== "PAGE" || (o.pageId && t.pageId !== o.pageId))) continue;
    t.invalid = INVALIDATION[reason](t.appId);
    n++;
  }
  return n;
}
