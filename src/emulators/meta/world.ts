import { z } from "zod";
import type { AppMode, DialogBehaviour, FaultSpec, ThrottleSpec } from "./types";

/**
 * Everything the Meta sandbox remembers, as one plain JSON value (records, arrays, epoch ms): what
 * `exportState()` hands to the snapshot store and `importState()` takes back after a restart.
 * Configuration (apps, personas, seed, options) is not part of it — it comes from the options the
 * sandbox is started with. The request and control logs are per process and not kept either.
 *
 * Records are created without a prototype: their keys come from requests (token strings, ids), and
 * a key like `__proto__` must be an ordinary key, never the object's prototype.
 */

export type Dict<T> = Record<string, T>;

export function dict<T>(entries: Record<string, T> = {}): Dict<T> {
  return Object.assign(Object.create(null) as Dict<T>, entries);
}

export type PermissionStatus = "granted" | "declined" | "expired";

/** What one Facebook user has allowed one app (survives across tokens). */
export type Grant = {
  appId: string;
  personaId: string;
  /** permission → status, in the order the user was first asked. */
  permissions: Dict<PermissionStatus>;
  /** Pages ticked in the dialog; null = every Page the user has a task on. */
  pageIds: string[] | null;
  dataAccessExpiresAt: number;
  authType?: string;
};

export type TokenRecord = {
  id: string;
  value: string;
  type: "USER" | "PAGE" | "APP";
  appId: string;
  personaId?: string;
  userId?: string;
  issuedAt: number;
  /** ms since epoch; 0 = never expires. */
  expiresAt: number;
  longLived: boolean;
  invalid?: { subcode?: number; message: string };
  pageId?: string;
  parentId?: string;
};

export type CodeRecord = {
  value: string;
  appId: string;
  personaId: string;
  redirectUri: string;
  createdAt: number;
  used: boolean;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  openid: boolean;
  nonce?: string;
};

export type ReportRun = {
  id: string;
  accountNumber: string;
  personaId: string;
  params: Record<string, string>;
  createdAt: number;
};

export type ActiveFault = FaultSpec & { remaining: number };
export type ActiveThrottle = ThrottleSpec & { until: number };
export type IgContainer = { id: string; igId: string; createdAt: number; video: boolean; published: boolean };
export type PagePosts = { lastMessage?: string; count: number };

export type MetaWorld = {
  /** Added to the base clock: the virtual clock survives restarts, so expiries keep their meaning. */
  clockOffset: number;
  /** Source of token, object and log ids; kept so new ids never repeat old ones. */
  seq: number;
  /** Every token issued, by its string. */
  tokens: Dict<TokenRecord>;
  /** `{user token id}:{page id}` → the Page token string handed out for it. */
  pageTokens: Dict<string>;
  codes: Dict<CodeRecord>;
  /** `{app id}:{persona id}` → grant. */
  grants: Dict<Grant>;
  dialog: { personaId: string; behaviour: DialogBehaviour } | null;
  faults: ActiveFault[];
  throttles: ActiveThrottle[];
  /** Call timestamps for usage headers, per bucket key. */
  usage: Dict<number[]>;
  reportRuns: Dict<ReportRun>;
  /** `{persona id}:{page id}` pairs whose Page role was removed. */
  removedPageRoles: string[];
  posts: Dict<PagePosts>;
  igContainers: Dict<IgContainer>;
  /** IG user id → publish timestamps (24 h quota). */
  igPublishes: Dict<number[]>;
  /** App id → Development / Live, as last set. */
  appModes: Dict<AppMode>;
};

export function emptyWorld(appModes: Dict<AppMode>): MetaWorld {
  return {
    clockOffset: 0,
    seq: 0,
    tokens: dict(),
    pageTokens: dict(),
    codes: dict(),
    grants: dict(),
    dialog: null,
    faults: [],
    throttles: [],
    usage: dict(),
    reportRuns: dict(),
    removedPageRoles: [],
    posts: dict(),
    igContainers: dict(),
    igPublishes: dict(),
    appModes: dict(appModes),
  };
}

// The snapshot file is input like any other: parsed, never trusted.
const ms = z.number().finite();
const record = <T extends z.ZodType>(value: T) => z.record(z.string(), value);
const opt = <T extends z.ZodType>(t: T) => t.optional();

const tokenRecord = z.object({
  id: z.string(),
  value: z.string(),
  type: z.enum(["USER", "PAGE", "APP"]),
  appId: z.string(),
  personaId: opt(z.string()),
  userId: opt(z.string()),
  issuedAt: ms,
  expiresAt: ms,
  longLived: z.boolean(),
  invalid: opt(z.object({ subcode: opt(z.number().int()), message: z.string() })),
  pageId: opt(z.string()),
  parentId: opt(z.string()),
}) satisfies z.ZodType<TokenRecord>;

const codeRecord = z.object({
  value: z.string(),
  appId: z.string(),
  personaId: z.string(),
  redirectUri: z.string(),
  createdAt: ms,
  used: z.boolean(),
  codeChallenge: opt(z.string()),
  codeChallengeMethod: opt(z.string()),
  openid: z.boolean(),
  nonce: opt(z.string()),
}) satisfies z.ZodType<CodeRecord>;

const grant = z.object({
  appId: z.string(),
  personaId: z.string(),
  permissions: record(z.enum(["granted", "declined", "expired"])),
  pageIds: z.array(z.string()).nullable(),
  dataAccessExpiresAt: ms,
  authType: opt(z.string()),
}) satisfies z.ZodType<Grant>;

const throttleScope = z.enum(["app", "user", "ad_account", "ads_insights", "ads_management", "pages"]);

const worldSchema = z.object({
  clockOffset: ms,
  seq: z.number().int().min(0),
  tokens: record(tokenRecord),
  pageTokens: record(z.string()),
  codes: record(codeRecord),
  grants: record(grant),
  dialog: z
    .object({
      personaId: z.string(),
      behaviour: z.custom<DialogBehaviour>((v) => typeof v === "string" && /^(approve|cancel|interactive|decline:[a-z_,]*)$/.test(v)),
    })
    .nullable(),
  faults: z.array(
    z.object({
      path: opt(z.string()),
      method: opt(z.string()),
      code: opt(z.number()),
      subcode: opt(z.number()),
      status: opt(z.number()),
      message: opt(z.string()),
      isTransient: opt(z.boolean()),
      latencyMs: opt(z.number()),
      timeout: opt(z.boolean()),
      count: opt(z.number()),
      remaining: z.number(),
    }),
  ),
  throttles: z.array(z.object({ scope: throttleScope, objectId: opt(z.string()), minutes: opt(z.number()), until: ms })),
  usage: record(z.array(ms)),
  reportRuns: record(z.object({ id: z.string(), accountNumber: z.string(), personaId: z.string(), params: record(z.string()), createdAt: ms })),
  removedPageRoles: z.array(z.string()),
  posts: record(z.object({ lastMessage: opt(z.string()), count: z.number().int() })),
  igContainers: record(z.object({ id: z.string(), igId: z.string(), createdAt: ms, video: z.boolean(), published: z.boolean() })),
  igPublishes: record(z.array(ms)),
  appModes: record(z.enum(["development", "live"])),
}) satisfies z.ZodType<MetaWorld>;

/** The exported form: the world plus the seed it was built on (ids derive from the seed). */
export type MetaSnapshot = { seed: number; world: MetaWorld };

const snapshotSchema = z.object({ seed: z.number().int(), world: worldSchema });

const dictOf = <T, U>(d: Record<string, T>, f: (v: T) => U): Dict<U> => dict(Object.fromEntries(Object.entries(d).map(([k, v]) => [k, f(v)])));

/**
 * A snapshot back into a live world; throws (with a readable reason) when it is not one this
 * sandbox can use. Apps no longer configured keep their tokens, which then fail like Meta's would.
 */
export function worldFromSnapshot(input: unknown, o: { seed: number; appModes: Dict<AppMode> }): MetaWorld {
  const parsed = snapshotSchema.safeParse(input);
  if (!parsed.success) throw new Error(`not a Meta sandbox state (${parsed.error.issues[0]?.path.join(".") || "root"}: ${parsed.error.issues[0]?.message})`);
  if (parsed.data.seed !== o.seed) throw new Error(`it was made with seed ${parsed.data.seed}, this sandbox runs seed ${o.seed}`);
  const w = parsed.data.world;
  return {
    ...w,
    tokens: dict(w.tokens),
    pageTokens: dict(w.pageTokens),
    codes: dict(w.codes),
    grants: dictOf(w.grants, (g) => ({ ...g, permissions: dict(g.permissions) })),
    usage: dict(w.usage),
    reportRuns: dictOf(w.reportRuns, (r) => ({ ...r, params: dict(r.params) })),
    posts: dict(w.posts),
    igContainers: dict(w.igContainers),
    igPublishes: dict(w.igPublishes),
    // Modes of apps configured now: the saved choice wins, new apps start as configured.
    appModes: dict({ ...o.appModes, ...Object.fromEntries(Object.entries(w.appModes).filter(([id]) => id in o.appModes)) }),
  };
}
