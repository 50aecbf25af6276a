import type { AppMode, DialogAssets, DialogBehaviour, FaultSpec, ThrottleSpec } from "./types";

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
  /** Instagram accounts ticked; null/absent = those of the ticked Pages. */
  igIds?: string[] | null;
  /** Ad account numbers (no act_) ticked; null/absent = all (personas with too many to list). */
  adAccountIds?: string[] | null;
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
export type IgContainer = {
  id: string;
  igId: string;
  createdAt: number;
  video: boolean;
  published: boolean;
  mediaType?: string;
  mediaUrl?: string;
  caption?: string;
  /** The media URL is one the sandbox treats as unfetchable: the container ends in ERROR. */
  broken?: boolean;
  mediaId?: string;
};

/** A post on a Page's feed (status, link or photo), published or scheduled. */
export type PagePost = {
  id: string;
  pageId: string;
  kind: "status" | "photo";
  message?: string;
  link?: string;
  imageUrl?: string;
  photoId?: string;
  createdAt: number;
  /** Set for scheduled posts: they join the feed when the sandbox clock reaches it. */
  scheduledAt?: number;
  /** False for unpublished photos (no feed story) and scheduled posts. */
  published: boolean;
  tokenId: string;
};

export type IgMedia = {
  id: string;
  igId: string;
  containerId: string;
  mediaType: "IMAGE" | "VIDEO" | "CAROUSEL_ALBUM";
  mediaUrl?: string;
  caption?: string;
  createdAt: number;
  tokenId: string;
};

export type WebhookAttempt = { at: number; status?: number; error?: string };

/** One permissions webhook notification and every attempt to deliver it (§14). */
export type WebhookDelivery = {
  id: string;
  appId: string;
  personaId?: string;
  url: string;
  /** The raw JSON body: the signature is computed over exactly these bytes on every attempt. */
  body: string;
  /** `entry[].time` (unix seconds). */
  time: number;
  createdAt: number;
  source: "change" | "control" | "test" | "replay";
  replayOf?: string;
  state: "pending" | "delivered" | "failed";
  attempts: WebhookAttempt[];
  nextAttemptAt: number | null;
};

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
  dialog: { personaId: string; behaviour: DialogBehaviour; assets?: DialogAssets } | null;
  faults: ActiveFault[];
  throttles: ActiveThrottle[];
  /** Call timestamps for usage headers, per bucket key. */
  usage: Dict<number[]>;
  reportRuns: Dict<ReportRun>;
  /** `{persona id}:{page id}` pairs whose Page role was removed. */
  removedPageRoles: string[];
  /** Every Page post by id, published or scheduled (the publishing log; 506 duplicates). */
  pagePosts: Dict<PagePost>;
  igContainers: Dict<IgContainer>;
  /** Every published Instagram media by id. */
  igMedia: Dict<IgMedia>;
  /** IG user id → publish timestamps (24 h quota). */
  igPublishes: Dict<number[]>;
  /** App id → when its permissions subscription was verified; and every delivery. */
  webhooks: { subscriptions: Dict<{ verifiedAt: number }>; deliveries: WebhookDelivery[] };
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
    pagePosts: dict(),
    igContainers: dict(),
    igMedia: dict(),
    igPublishes: dict(),
    webhooks: { subscriptions: dict(), deliveries: [] },
    appModes: dict(appModes),
  };
}

export { worldFromSnapshot, type MetaSnapshot } from "./world-schema";
