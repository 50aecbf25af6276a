import { z } from "zod";
import type { AppMode, DialogBehaviour } from "./types";
import { dict, type CodeRecord, type Dict, type Grant, type IgContainer, type IgMedia, type MetaWorld, type PagePost, type TokenRecord, type WebhookDelivery } from "./world";

/** The zod schema of the world (world.ts): a snapshot is input like any other. */

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
  igIds: opt(z.array(z.string()).nullable()),
  adAccountIds: opt(z.array(z.string()).nullable()),
  dataAccessExpiresAt: ms,
  authType: opt(z.string()),
}) satisfies z.ZodType<Grant>;

const throttleScope = z.enum(["app", "user", "ad_account", "ads_insights", "ads_management", "pages", "instagram"]);

const pagePost = z.object({
  id: z.string(),
  pageId: z.string(),
  kind: z.enum(["status", "photo"]),
  message: opt(z.string()),
  link: opt(z.string()),
  imageUrl: opt(z.string()),
  photoId: opt(z.string()),
  createdAt: ms,
  scheduledAt: opt(ms),
  published: z.boolean(),
  tokenId: z.string(),
}) satisfies z.ZodType<PagePost>;

const igContainer = z.object({
  id: z.string(),
  igId: z.string(),
  createdAt: ms,
  video: z.boolean(),
  published: z.boolean(),
  mediaType: opt(z.string()),
  mediaUrl: opt(z.string()),
  caption: opt(z.string()),
  broken: opt(z.boolean()),
  mediaId: opt(z.string()),
}) satisfies z.ZodType<IgContainer>;

const igMedia = z.object({
  id: z.string(),
  igId: z.string(),
  containerId: z.string(),
  mediaType: z.enum(["IMAGE", "VIDEO", "CAROUSEL_ALBUM"]),
  mediaUrl: opt(z.string()),
  caption: opt(z.string()),
  createdAt: ms,
  tokenId: z.string(),
}) satisfies z.ZodType<IgMedia>;

const webhookDelivery = z.object({
  id: z.string(),
  appId: z.string(),
  personaId: opt(z.string()),
  url: z.string(),
  body: z.string(),
  time: z.number().int(),
  createdAt: ms,
  source: z.enum(["change", "control", "test", "replay"]),
  replayOf: opt(z.string()),
  state: z.enum(["pending", "delivered", "failed"]),
  attempts: z.array(z.object({ at: ms, status: opt(z.number().int()), error: opt(z.string()) })),
  nextAttemptAt: ms.nullable(),
}) satisfies z.ZodType<WebhookDelivery>;

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
      assets: opt(z.object({ pages: opt(z.array(z.string())), instagram: opt(z.array(z.string())), adAccounts: opt(z.array(z.string())) })),
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
      applied: opt(z.boolean()),
      count: opt(z.number()),
      remaining: z.number(),
    }),
  ),
  throttles: z.array(z.object({ scope: throttleScope, objectId: opt(z.string()), minutes: opt(z.number()), until: ms })),
  usage: record(z.array(ms)),
  reportRuns: record(z.object({ id: z.string(), accountNumber: z.string(), personaId: z.string(), params: record(z.string()), createdAt: ms })),
  removedPageRoles: z.array(z.string()),
  // Added after the first snapshots were written: absent in those, so they default to empty.
  pagePosts: record(pagePost).default({}),
  igContainers: record(igContainer),
  igMedia: record(igMedia).default({}),
  igPublishes: record(z.array(ms)),
  webhooks: z
    .object({ subscriptions: record(z.object({ verifiedAt: ms })), deliveries: z.array(webhookDelivery) })
    .default({ subscriptions: {}, deliveries: [] }),
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
    pagePosts: dict(w.pagePosts),
    igContainers: dict(w.igContainers),
    igMedia: dict(w.igMedia),
    igPublishes: dict(w.igPublishes),
    webhooks: { subscriptions: dict(w.webhooks.subscriptions), deliveries: w.webhooks.deliveries },
    // Modes of apps configured now: the saved choice wins, new apps start as configured.
    appModes: dict({ ...o.appModes, ...Object.fromEntries(Object.entries(w.appModes).filter(([id]) => id in o.appModes)) }),
  };
}
