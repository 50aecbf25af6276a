import { randomBytes } from "node:crypto";
import { z } from "zod";
import { seededAccounts } from "./personas";

/**
 * All mutable state of one Bluesky sandbox, as one plain JSON value (records keyed by DID / jti,
 * epoch milliseconds), so a host can save it and load it back. The HS256 signing key lives here
 * too: tokens issued before a restart still verify after it. Access tokens are kept by their
 * SHA-256, never in clear.
 */

const appPassword = z.object({ name: z.string(), password: z.string(), privileged: z.boolean(), createdAt: z.number() });

const account = z.object({
  personaId: z.string(),
  did: z.string(),
  handle: z.string(),
  email: z.string(),
  emailConfirmed: z.boolean(),
  emailAuthFactor: z.boolean(),
  password: z.string(),
  appPasswords: z.array(appPassword),
  status: z.enum(["active", "takendown", "deactivated", "deleted"]),
  displayName: z.string().optional(),
  description: z.string().optional(),
  avatar: z.boolean(),
  banner: z.boolean(),
  color: z.string(),
  followersCount: z.number(),
  followsCount: z.number(),
  /** Posts made before the sandbox started; created records add to it. */
  postsBase: z.number(),
  createdAt: z.number(),
});

const refreshRecord = z.object({
  jti: z.string(),
  did: z.string(),
  /** The app password this login used; null for the account password. */
  appPassword: z.string().nullable(),
  /** Scope of the access tokens this lineage issues. */
  scope: z.string(),
  /** Shortened to the grace period once the token has been rotated. */
  expiresAt: z.number(),
  nextId: z.string().optional(),
});

const accessRecord = z.object({ did: z.string(), appPassword: z.string().nullable(), exp: z.number(), killed: z.boolean().optional() });

const postRecord = z.object({
  uri: z.string(),
  cid: z.string(),
  rkey: z.string(),
  collection: z.string(),
  value: z.record(z.string(), z.unknown()),
  indexedAt: z.number(),
});

const fault = z.object({
  nsid: z.string().optional(),
  status: z.number().int().min(400).max(599).optional(),
  error: z.string().optional(),
  message: z.string().optional(),
  remaining: z.number().int(),
  delayMs: z.number().optional(),
  timeout: z.boolean().optional(),
});

const requestLogEntry = z.object({
  seq: z.number(),
  at: z.number(),
  method: z.string(),
  nsid: z.string(),
  status: z.number(),
  error: z.string().optional(),
  did: z.string().optional(),
});

const controlLogEntry = z.object({ seq: z.number(), at: z.number(), action: z.string(), detail: z.record(z.string(), z.unknown()) });

export const stateSchema = z.object({
  version: z.literal(1),
  seq: z.number(),
  clockOffsetMs: z.number(),
  signingKey: z.string(),
  lastTid: z.number(),
  settings: z.object({ refreshGraceMs: z.number().min(0), killAccessOnRevoke: z.boolean(), failedLoginDelayMs: z.number().min(0) }),
  accounts: z.record(z.string(), account),
  refreshTokens: z.record(z.string(), refreshRecord),
  accessTokens: z.record(z.string(), accessRecord),
  signInCodes: z.record(z.string(), z.object({ code: z.string(), expiresAt: z.number() })),
  records: z.record(z.string(), z.array(postRecord)),
  rateWindows: z.record(z.string(), z.object({ start: z.number(), count: z.number() })),
  faults: z.array(fault),
  requestLog: z.array(requestLogEntry),
  controlLog: z.array(controlLogEntry),
});

export type BlueskyState = z.infer<typeof stateSchema>;
export type Account = z.infer<typeof account>;
export type RefreshRecord = z.infer<typeof refreshRecord>;
export type PostRecord = z.infer<typeof postRecord>;
export type Fault = z.infer<typeof fault>;
export type RequestLogEntry = z.infer<typeof requestLogEntry>;
export type ControlLogEntry = z.infer<typeof controlLogEntry>;

export const HOUR = 3600_000;
export const DAY = 24 * HOUR;

export type StateSettings = BlueskyState["settings"];

export function createState(settings: StateSettings, now: number): BlueskyState {
  const accounts: Record<string, Account> = {};
  for (const a of seededAccounts(now)) accounts[a.did] = a;
  return {
    version: 1,
    seq: 0,
    clockOffsetMs: 0,
    signingKey: randomBytes(32).toString("base64url"),
    lastTid: 0,
    settings,
    accounts,
    refreshTokens: {},
    accessTokens: {},
    signInCodes: {},
    records: {},
    rateWindows: {},
    faults: [],
    requestLog: [],
    controlLog: [],
  };
}

/** What the handlers share: the state plus the host's fixed settings (not saved). */
export type Runtime = {
  s: BlueskyState;
  baseNow: () => number;
  basePath: string;
  serviceDid: string;
  controlsEnabled: boolean;
  /** Every password and token this process issued or knows, for leak scans (memory only). */
  secrets: Set<string>;
};

export function now(rt: Runtime): number {
  return rt.baseNow() + rt.s.clockOffsetMs;
}

export function nextSeq(rt: Runtime): number {
  return ++rt.s.seq;
}

export function accountByPersona(rt: Runtime, personaId: string): Account {
  const a = Object.values(rt.s.accounts).find((x) => x.personaId === personaId);
  if (!a) throw new Error(`unknown persona "${personaId}"`);
  return a;
}

/** By handle, email (anything with "@") or DID, case-insensitively, as the PDS looks it up. */
export function findAccount(rt: Runtime, identifier: string): Account | undefined {
  const id = identifier.toLowerCase();
  const all = Object.values(rt.s.accounts).filter((a) => a.status !== "deleted");
  if (id.startsWith("did:")) return all.find((a) => a.did === id);
  if (id.includes("@")) return all.find((a) => a.email.toLowerCase() === id);
  return all.find((a) => a.handle === id);
}
