import { createHash } from "node:crypto";
import { z } from "zod";
import type { ClientConfig } from "./types";

/**
 * All mutable state of one OAuth 2.0 sandbox, as one plain JSON value (records, epoch ms), so the
 * host can save it and load it back. Tokens and codes are keyed by their SHA-256: the saved state
 * never holds a usable token.
 */

const client = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  redirectUris: z.array(z.string()).min(1),
  name: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  public: z.boolean().optional(),
  allowPlainPkce: z.boolean().optional(),
  refreshTokens: z.boolean().optional(),
  testing: z.boolean().optional(),
});

const revokeReason = z.enum(["user_removed_app", "revoked", "refresh_reuse"]);

const grant = z.object({
  id: z.string(),
  clientId: z.string(),
  personaId: z.string(),
  scopes: z.array(z.string()),
  createdAt: z.number(),
  /** Fixed end of the refresh window (LinkedIn 365 d, TikTok, Google "Testing"); absent = per token. */
  refreshExpiresAt: z.number().optional(),
  revokedAt: z.number().optional(),
  revokedReason: revokeReason.optional(),
  /** Keys (hashes) of this grant's tokens in `tokens`, oldest first. */
  tokenKeys: z.array(z.string()),
});

const token = z.object({
  id: z.string(),
  kind: z.enum(["access", "refresh"]),
  /** Platform flavour, e.g. Threads' "short" / "long" access tokens. */
  variant: z.string().optional(),
  grantId: z.string(),
  issuedAt: z.number(),
  /** 0 = never. */
  expiresAt: z.number(),
  lastUsedAt: z.number().optional(),
  /** A rotated refresh token: when it was spent and the token that replaced it. */
  spentAt: z.number().optional(),
  replacedBy: z.string().optional(),
  revokedAt: z.number().optional(),
});

const code = z.object({
  clientId: z.string(),
  personaId: z.string(),
  redirectUri: z.string(),
  scopes: z.array(z.string()),
  createdAt: z.number(),
  expiresAt: z.number(),
  usedAt: z.number().optional(),
  challenge: z.string().optional(),
  challengeMethod: z.string().optional(),
  nonce: z.string().optional(),
  /** Whether the exchange returns a refresh token (decided at consent: offline access, first consent…). */
  refresh: z.boolean(),
});

const fault = z.object({
  kind: z.enum(["server_error", "timeout", "rate_limited", "invalid_grant", "quota_exceeded"]),
  target: z.enum(["refresh", "exchange", "token", "api", "revoke", "introspect", "any"]),
  path: z.string().optional(),
  remaining: z.number().int().min(0),
  latencyMs: z.number().min(0).optional(),
});

const stats = { followers: z.number().optional(), following: z.number().optional(), posts: z.number().optional() };

export const stateSchema = z.object({
  version: z.literal(1),
  provider: z.string(),
  seq: z.number().int(),
  clockOffsetMs: z.number(),
  clients: z.record(z.string(), client),
  /** What a persona has consented to per app ("clientId personaId"), across authorizations. */
  consents: z.record(z.string(), z.object({ scopes: z.array(z.string()), at: z.number() })),
  codes: z.record(z.string(), code),
  grants: z.record(z.string(), grant),
  tokens: z.record(z.string(), token),
  faults: z.array(fault),
  /** Fixed-window call counters, e.g. X's 75 calls / 15 min per user. */
  rateWindows: z.record(z.string(), z.object({ start: z.number(), count: z.number() })),
  refreshAttempts: z.array(
    z.object({
      seq: z.number(),
      at: z.number(),
      outcome: z.enum(["ok", "reused", "expired", "revoked", "unknown", "wrong_client", "injected", "too_early"]),
      grantId: z.string().nullable(),
      tokenId: z.string().nullable(),
      persona: z.string().nullable(),
    }),
  ),
  requestLog: z.array(
    z.object({
      seq: z.number(),
      at: z.number(),
      method: z.string(),
      path: z.string(),
      query: z.record(z.string(), z.string()),
      tokenId: z.string().nullable(),
      status: z.number(),
    }),
  ),
  controlLog: z.array(z.object({ seq: z.number(), at: z.number(), action: z.string(), detail: z.record(z.string(), z.unknown()) })),
  personaOverrides: z.record(z.string(), z.object({ name: z.string().optional(), ...stats })),
  /** RS256 key for OIDC id_tokens (LinkedIn, Google); kept so tokens stay verifiable across restarts. */
  signingKey: z.object({ kid: z.string(), privateKeyPem: z.string() }).optional(),
});

export type OAuth2State = z.infer<typeof stateSchema>;
export type Grant = z.infer<typeof grant>;
export type TokenRecord = z.infer<typeof token>;
export type CodeRecord = z.infer<typeof code>;
export type StoredFault = z.infer<typeof fault>;
export type RevokeReason = z.infer<typeof revokeReason>;

export const LOG_LIMIT = 1000;

export function createState(provider: string): OAuth2State {
  return {
    version: 1,
    provider,
    seq: 0,
    clockOffsetMs: 0,
    clients: {},
    consents: {},
    codes: {},
    grants: {},
    tokens: {},
    faults: [],
    rateWindows: {},
    refreshAttempts: [],
    requestLog: [],
    controlLog: [],
    personaOverrides: {},
  };
}

export function toClientRecord(c: ClientConfig): OAuth2State["clients"][string] {
  return client.parse(c);
}

export function nextId(s: OAuth2State, prefix: string): string {
  s.seq += 1;
  return `${prefix}_${s.seq}`;
}

/** Append to a bounded log so a long-running dev sandbox does not grow without limit. */
export function pushBounded<T>(list: T[], entry: T): void {
  list.push(entry);
  if (list.length > LOG_LIMIT) list.splice(0, list.length - LOG_LIMIT);
}

export function secretKey(value: string): string {
  return createHash("sha256").update(value).digest("base64url");
}

export function consentKey(clientId: string, personaId: string): string {
  return `${clientId} ${personaId}`;
}
