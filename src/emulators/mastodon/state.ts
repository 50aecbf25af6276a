import { z } from "zod";

/**
 * All mutable state of one Mastodon sandbox — every server it plays — as one plain JSON value
 * (records keyed by id, epoch milliseconds), so a host can save it and load it back. Each server
 * is independent: its own apps, users, tokens, codes, statuses, limits and clock.
 */

const emoji = z.object({ shortcode: z.string(), color: z.string() });

const user = z.object({
  personaId: z.string(),
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  note: z.string(),
  locked: z.boolean(),
  bot: z.boolean(),
  createdAt: z.number(),
  followers: z.number(),
  following: z.number(),
  statusesBase: z.number(),
  lastStatusAt: z.string().nullable(),
  emojis: z.array(emoji),
  avatar: z.boolean(),
  color: z.string(),
  state: z.enum(["active", "disabled", "unconfirmed", "pending", "deleted"]),
});

const app = z.object({
  id: z.string(),
  name: z.string(),
  website: z.string().nullable(),
  redirectUris: z.array(z.string()),
  scopes: z.array(z.string()),
  clientId: z.string(),
  clientSecret: z.string(),
  createdAt: z.number(),
});

const code = z.object({
  appId: z.string(),
  userId: z.string(),
  redirectUri: z.string(),
  scopes: z.array(z.string()),
  challenge: z.string().optional(),
  challengeMethod: z.string().optional(),
  createdAt: z.number(),
  usedAt: z.number().optional(),
});

const token = z.object({
  id: z.string(),
  appId: z.string(),
  /** null = an app token (client credentials). */
  userId: z.string().nullable(),
  scopes: z.array(z.string()),
  createdAt: z.number(),
  revokedAt: z.number().optional(),
});

const status = z.object({
  id: z.string(),
  userId: z.string(),
  appId: z.string(),
  text: z.string(),
  spoilerText: z.string(),
  sensitive: z.boolean(),
  visibility: z.enum(["public", "unlisted", "private", "direct"]),
  language: z.string().nullable(),
  createdAt: z.number(),
  idempotencyKey: z.string().optional(),
  replays: z.number(),
});

const fault = z.object({
  path: z.string().optional(),
  method: z.string().optional(),
  status: z.number().int().min(400).max(599).optional(),
  message: z.string().optional(),
  remaining: z.number().int(),
  delayMs: z.number().optional(),
  timeout: z.boolean().optional(),
});

const misbehaviour = z.object({
  path: z.string().optional(),
  mode: z.enum(["huge", "redirect-loop", "redirect", "slow-drip"]),
  bytes: z.number().optional(),
  intervalMs: z.number().optional(),
  location: z.string().optional(),
  /** null = until cleared. */
  remaining: z.number().int().nullable(),
});

const serverState = z.object({
  id: z.string(),
  domain: z.string(),
  title: z.string(),
  version: z.string(),
  maxCharacters: z.number().int(),
  clockOffsetMs: z.number(),
  users: z.record(z.string(), user),
  apps: z.record(z.string(), app),
  nextAppId: z.number().int(),
  codes: z.record(z.string(), code),
  tokens: z.record(z.string(), token),
  statuses: z.record(z.string(), status),
  lastStatusMs: z.number(),
  idempotency: z.record(z.string(), z.object({ statusId: z.string(), expiresAt: z.number() })),
  rateWindows: z.record(z.string(), z.object({ start: z.number(), count: z.number() })),
  faults: z.array(fault),
  misbehaviours: z.array(misbehaviour),
  dialog: z.object({ behaviour: z.enum(["interactive", "approve", "deny"]), persona: z.string().optional() }),
});

const requestLogEntry = z.object({
  seq: z.number(),
  at: z.number(),
  server: z.string(),
  method: z.string(),
  path: z.string(),
  status: z.number(),
  tokenId: z.string().optional(),
});

export const stateSchema = z.object({
  version: z.literal(1),
  seq: z.number(),
  servers: z.record(z.string(), serverState),
  requestLog: z.array(requestLogEntry),
  controlLog: z.array(z.object({ seq: z.number(), at: z.number(), server: z.string().optional(), action: z.string(), detail: z.record(z.string(), z.unknown()) })),
});

export type MastodonState = z.infer<typeof stateSchema>;
export type ServerState = z.infer<typeof serverState>;
export type User = z.infer<typeof user>;
export type App = z.infer<typeof app>;
export type Code = z.infer<typeof code>;
export type Token = z.infer<typeof token>;
export type Status = z.infer<typeof status>;
export type Fault = z.infer<typeof fault>;
export type Misbehaviour = z.infer<typeof misbehaviour>;
export type RequestLogEntry = z.infer<typeof requestLogEntry>;

/** What one server's handlers share: its state, the whole sandbox's state, and host settings. */
export type Srv = {
  root: MastodonState;
  s: ServerState;
  baseNow: () => number;
  /** Every token, secret, client id and code issued since start (for leak scans; memory only). */
  secrets: Set<string>;
};

export function now(srv: Srv): number {
  return srv.baseNow() + srv.s.clockOffsetMs;
}

export function nextSeq(root: MastodonState): number {
  return ++root.seq;
}

export function userByPersona(srv: Srv, persona: string): User {
  const u = Object.values(srv.s.users).find((x) => x.personaId === persona || x.username === persona);
  if (!u) throw new Error(`unknown persona "${persona}" on ${srv.s.id}`);
  return u;
}
