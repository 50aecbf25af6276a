import { randomBytes } from "node:crypto";
import type { Runtime } from "./profile";
import { nextId, pushBounded, secretKey, type Grant, type RevokeReason, type TokenRecord } from "./state";
import type { PersonaBase, RefreshOutcome } from "./types";

/** Grants and tokens: issue, look up, rotate, revoke. Values are returned once and stored only as hashes. */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
export const B64URL = `${ALNUM}-_`;

export function randomString(length: number, alphabet = ALNUM): string {
  let out = "";
  for (const b of randomBytes(length)) out += alphabet[b % alphabet.length];
  return out;
}

export function createGrant(rt: Runtime, o: { clientId: string; personaId: string; scopes: string[]; refreshExpiresAt?: number }): Grant {
  const g: Grant = { id: nextId(rt.s, "grant"), clientId: o.clientId, personaId: o.personaId, scopes: [...o.scopes], createdAt: rt.now(), tokenKeys: [] };
  if (o.refreshExpiresAt !== undefined) g.refreshExpiresAt = o.refreshExpiresAt;
  rt.s.grants[g.id] = g;
  return g;
}

/** Store a token minted by the platform profile; `ttlMs` 0 = never expires. */
export function storeToken(
  rt: Runtime,
  grant: Grant,
  o: { value: string; kind: TokenRecord["kind"]; ttlMs: number; expiresAt?: number; variant?: string },
): TokenRecord {
  const t = rt.now();
  const rec: TokenRecord = {
    id: nextId(rt.s, o.kind === "access" ? "at" : "rt"),
    kind: o.kind,
    grantId: grant.id,
    issuedAt: t,
    expiresAt: o.expiresAt ?? (o.ttlMs > 0 ? t + o.ttlMs : 0),
  };
  if (o.variant) rec.variant = o.variant;
  const key = secretKey(o.value);
  rt.s.tokens[key] = rec;
  grant.tokenKeys.push(key);
  return rec;
}

export function findToken(rt: Runtime, value: string | undefined): { rec: TokenRecord; grant: Grant } | undefined {
  if (!value) return undefined;
  const rec = rt.s.tokens[secretKey(value)];
  const grant = rec ? rt.s.grants[rec.grantId] : undefined;
  return rec && grant ? { rec, grant } : undefined;
}

export const secondsLeft = (rt: Runtime, at: number) => Math.max(0, Math.round((at - rt.now()) / 1000));

export type AccessCheck<P extends PersonaBase> =
  | { ok: true; rec: TokenRecord; grant: Grant; persona: P }
  | { ok: false; reason: "missing" | "unknown" | "expired" | "revoked"; rec?: TokenRecord; grant?: Grant };

/** The verdict on a bearer token, in the order platforms check: known, revoked, expired. */
export function checkAccess<P extends PersonaBase>(rt: Runtime<P>, value: string | undefined, kind: TokenRecord["kind"] = "access"): AccessCheck<P> {
  if (!value) return { ok: false, reason: "missing" };
  const found = findToken(rt, value);
  if (!found || found.rec.kind !== kind) return { ok: false, reason: "unknown" };
  const { rec, grant } = found;
  if (grant.revokedAt !== undefined || rec.revokedAt !== undefined) return { ok: false, reason: "revoked", rec, grant };
  const end = Math.min(rec.expiresAt || Infinity, rec.kind === "refresh" ? (grant.refreshExpiresAt ?? Infinity) : Infinity);
  if (end <= rt.now()) return { ok: false, reason: "expired", rec, grant };
  const persona = rt.persona(grant.personaId);
  if (!persona) return { ok: false, reason: "unknown" };
  return { ok: true, rec, grant, persona };
}

export function revokeGrant(rt: Runtime, grant: Grant, reason: RevokeReason): void {
  if (grant.revokedAt !== undefined) return;
  grant.revokedAt = rt.now();
  grant.revokedReason = reason;
}

export function revokeTokenRecord(rt: Runtime, rec: TokenRecord): void {
  rec.revokedAt ??= rt.now();
}

export function grantTokens(rt: Runtime, grantId: string): TokenRecord[] {
  return (rt.s.grants[grantId]?.tokenKeys ?? []).flatMap((k) => rt.s.tokens[k] ?? []);
}

/** Expire every live access token of a grant now (the "expiry → refresh" path without waiting). */
export function expireAccessTokens(rt: Runtime, grantId: string): number {
  let n = 0;
  for (const t of grantTokens(rt, grantId)) {
    if (t.kind === "access" && (t.expiresAt === 0 || t.expiresAt > rt.now())) {
      t.expiresAt = rt.now() - 1000;
      n++;
    }
  }
  return n;
}

export function recordRefreshAttempt(rt: Runtime, outcome: RefreshOutcome, rec?: TokenRecord, grant?: Grant): void {
  pushBounded(rt.s.refreshAttempts, {
    seq: ++rt.s.seq,
    at: rt.now(),
    outcome,
    grantId: grant?.id ?? null,
    tokenId: rec?.id ?? null,
    persona: grant?.personaId ?? null,
  });
}

export type RefreshPolicy = {
  /** A new refresh token each time; the sent one is spent. */
  rotate: boolean;
  /** Spending a spent refresh token revokes its whole grant (X). */
  reuseKillsGrant: boolean;
};

export type RefreshCheck =
  | { ok: true; rec: TokenRecord; grant: Grant }
  | { ok: false; outcome: Exclude<RefreshOutcome, "ok">; rec?: TokenRecord; grant?: Grant };

/**
 * Validate a refresh token for a client and record the attempt. An injected `invalid_grant` fault
 * refuses it without spending it. On success the caller mints the new tokens and calls `spend`.
 */
export function checkRefresh(rt: Runtime, value: string | undefined, clientId: string, policy: RefreshPolicy, injected: boolean): RefreshCheck {
  const found = findToken(rt, value);
  const fail = (outcome: Exclude<RefreshOutcome, "ok">, rec?: TokenRecord, grant?: Grant): RefreshCheck => {
    recordRefreshAttempt(rt, outcome, rec, grant);
    return { ok: false, outcome, rec, grant };
  };
  if (!found || found.rec.kind !== "refresh") return fail("unknown");
  const { rec, grant } = found;
  if (grant.clientId !== clientId) return fail("wrong_client", rec, grant);
  if (injected) return fail("injected", rec, grant);
  if (grant.revokedAt !== undefined || rec.revokedAt !== undefined) return fail("revoked", rec, grant);
  if (rec.spentAt !== undefined) {
    if (policy.reuseKillsGrant) revokeGrant(rt, grant, "refresh_reuse");
    return fail("reused", rec, grant);
  }
  const t = rt.now();
  const end = Math.min(rec.expiresAt || Infinity, grant.refreshExpiresAt ?? Infinity);
  if (end <= t) return fail("expired", rec, grant);
  recordRefreshAttempt(rt, "ok", rec, grant);
  rec.lastUsedAt = t;
  return { ok: true, rec, grant };
}

/** Mark a rotated refresh token as spent, pointing at its successor. */
export function spend(rt: Runtime, rec: TokenRecord, replacement: TokenRecord): void {
  rec.spentAt = rt.now();
  rec.replacedBy = replacement.id;
}
