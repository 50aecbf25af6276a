import { createHash } from "node:crypto";
import { maybeAccess } from "./auth";
import { invalidRequest, XrpcError } from "./errors";
import { base32 } from "./personas";
import { findAccount, type Account, type Runtime } from "./state";
import type { Ctx } from "./xrpc";

/** app.bsky.actor.getProfile, com.atproto.identity.resolveHandle, describeServer, and the images. */

const HANDLE_RE = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/i;
const DID_RE = /^did:[a-z]+:[a-zA-Z0-9._:%-]+$/;

export function imageCid(account: Account, kind: string): string {
  return `bafkrei${base32(createHash("sha256").update(`${kind}:${account.did}`).digest()).slice(0, 52)}`;
}

export function postsCount(rt: Runtime, account: Account): number {
  return account.postsBase + (rt.s.records[account.did] ?? []).filter((r) => r.collection === "app.bsky.feed.post").length;
}

export async function getProfile(ctx: Ctx): Promise<unknown> {
  const actor = ctx.params.actor!;
  const viewer = maybeAccess(ctx.rt, ctx.headers);
  if (!DID_RE.test(actor) && !HANDLE_RE.test(actor)) throw invalidRequest("Error: actor must be a valid did or a handle");
  const account = findAccount(ctx.rt, actor);
  if (!account) throw invalidRequest("Profile not found");
  if (account.status === "takendown") throw new XrpcError(400, "AccountTakedown", "Account has been suspended");
  if (account.status === "deactivated") throw new XrpcError(400, "AccountDeactivated", "Account is deactivated");
  const created = new Date(account.createdAt).toISOString();
  const img = (kind: "avatar" | "banner") => `${ctx.base}/img/${kind}/plain/${account.did}/${imageCid(account, kind)}@svg`;
  return {
    did: account.did,
    handle: account.handle,
    ...(account.displayName !== undefined ? { displayName: account.displayName } : {}),
    ...(account.description !== undefined ? { description: account.description } : {}),
    ...(account.avatar ? { avatar: img("avatar") } : {}),
    ...(account.banner ? { banner: img("banner") } : {}),
    followersCount: account.followersCount,
    followsCount: account.followsCount,
    postsCount: postsCount(ctx.rt, account),
    associated: { lists: 0, feedgens: 0, starterPacks: 0, labeler: false },
    indexedAt: created,
    createdAt: created,
    ...(viewer ? { viewer: { muted: false, blockedBy: false } } : {}),
    labels: [],
  };
}

export async function resolveHandle(ctx: Ctx): Promise<unknown> {
  const account = findAccount(ctx.rt, ctx.params.handle!.toLowerCase());
  if (!account || ctx.params.handle!.includes("@") || ctx.params.handle!.startsWith("did:")) throw invalidRequest("Unable to resolve handle");
  return { did: account.did };
}

export async function describeServer(ctx: Ctx): Promise<unknown> {
  return {
    did: ctx.rt.serviceDid,
    availableUserDomains: [".bsky.social"],
    inviteCodeRequired: false,
    phoneVerificationRequired: false,
    links: { privacyPolicy: `${ctx.base}/about/privacy`, termsOfService: `${ctx.base}/about/terms` },
    contact: { email: "support@bsky.sandbox.invalid" },
  };
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Avatars and banners as SVG (initials on the persona's colour), so profile URLs resolve. */
export function image(rt: Runtime, kind: string, did: string): Response {
  const account = rt.s.accounts[did];
  if (!account || (kind !== "avatar" && kind !== "banner")) return new Response("Not found", { status: 404 });
  const initials = [...(account.displayName ?? account.handle)].filter((c) => /\p{L}/u.test(c)).slice(0, 2).join("");
  const [w, h] = kind === "avatar" ? [128, 128] : [600, 200];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="${w}" height="${h}" fill="${account.color}"/><text x="${w / 2}" y="${h / 2 + 14}" font-size="40" text-anchor="middle" fill="#fff" font-family="sans-serif">${esc(initials)}</text></svg>`;
  return new Response(svg, { headers: { "content-type": "image/svg+xml", "cache-control": "public, max-age=3600" } });
}
