import { accountJson } from "./accounts";
import { authenticate, optionalAuth, requireUser } from "./auth";
import { str, type Params } from "./http";
import { count, LIMITS, tooMany } from "./rate-limit";
import { ApiError, esc, json } from "./responses";
import { now, type Srv, type Status } from "./state";

/** POST /api/v1/statuses with Idempotency-Key and the length rules; read-back by account and id. */

const IDEMPOTENCY_MS = 3600_000;
const VISIBILITIES = ["public", "unlisted", "private", "direct"] as const;
const URL_RE = /https?:\/\/[^\s<>"]+/g;
const MENTION_RE = /@([a-z0-9_]+)@[a-z0-9.-]+\.[a-z]{2,}/gi;

const graphemes = (s: string) => [...new Intl.Segmenter("en", { granularity: "grapheme" }).segment(s)].length;

/** StatusLengthValidator: every URL counts 23, a remote mention only its user part. */
export function countedLength(text: string, spoiler: string): number {
  const countable = text.replace(URL_RE, "x".repeat(23)).replace(MENTION_RE, (_m, user: string) => `@${user}`);
  return graphemes(spoiler) + graphemes(countable);
}

function contentHtml(text: string): string {
  const linked = (s: string) =>
    esc(s).replace(/https?:\/\/[^\s<>"&]+/g, (u) => `<a href="${u}" target="_blank" rel="nofollow noopener noreferrer">${u}</a>`);
  return text.split(/\n{2,}/).map((p) => `<p>${linked(p).replace(/\n/g, "<br />")}</p>`).join("");
}

/** Time-ordered 64-bit ids as decimal strings: milliseconds in the high bits, a sequence below. */
function snowflake(srv: Srv): string {
  const ms = Math.max(now(srv), srv.s.lastStatusMs + 1);
  srv.s.lastStatusMs = ms;
  return ((BigInt(ms) << 16n) | BigInt(Math.floor(Math.random() * 0xffff))).toString();
}

export function statusJson(srv: Srv, s: Status, base: string) {
  const user = srv.s.users[s.userId]!;
  const app = srv.s.apps[s.appId];
  return {
    id: s.id,
    created_at: new Date(s.createdAt).toISOString(),
    in_reply_to_id: null,
    in_reply_to_account_id: null,
    sensitive: s.sensitive,
    spoiler_text: s.spoilerText,
    visibility: s.visibility,
    language: s.language,
    uri: `${base}/users/${user.username}/statuses/${s.id}`,
    url: `${base}/@${user.username}/${s.id}`,
    replies_count: 0,
    reblogs_count: 0,
    favourites_count: 0,
    edited_at: null,
    content: contentHtml(s.text),
    reblog: null,
    application: app ? { name: app.name, website: app.website } : null,
    account: accountJson(srv, user, base),
    media_attachments: [],
    mentions: [],
    tags: [],
    emojis: [],
    card: null,
    poll: null,
  };
}

export function createStatus(srv: Srv, req: Request, p: Params, base: string): Response {
  const a = authenticate(srv, req, p, ["write", "write:statuses"]);
  const user = requireUser(a);
  const key = req.headers.get("idempotency-key");
  const idemKey = key ? `${user.id}:${key}` : undefined;
  // Keys are per account, whichever app sends them: the same key returns the same status.
  const seen = idemKey ? srv.s.idempotency[idemKey] : undefined;
  if (seen && seen.expiresAt > now(srv) && srv.s.statuses[seen.statusId]) {
    const s = srv.s.statuses[seen.statusId]!;
    s.replays++;
    return json(statusJson(srv, s, base));
  }
  const verdict = count(srv, `statuses:${user.id}`, LIMITS.statuses);
  if (verdict.exceeded) throw tooMany([verdict]);
  const text = str(p, "status") ?? "";
  const spoiler = str(p, "spoiler_text") ?? "";
  if (!text.trim()) throw new ApiError(422, "Validation failed: Text can't be blank");
  if (countedLength(text, spoiler) > srv.s.maxCharacters) throw new ApiError(422, `Validation failed: Text character limit of ${srv.s.maxCharacters} exceeded`);
  const visibility = str(p, "visibility") ?? "public";
  if (!(VISIBILITIES as readonly string[]).includes(visibility)) throw new ApiError(422, "Validation failed: Visibility is not included in the list");
  const status: Status = {
    id: snowflake(srv),
    userId: user.id,
    appId: a.token.appId,
    text,
    spoilerText: spoiler,
    sensitive: str(p, "sensitive") === "true",
    visibility: visibility as Status["visibility"],
    language: str(p, "language") ?? null,
    createdAt: now(srv),
    ...(key ? { idempotencyKey: key } : {}),
    replays: 0,
  };
  srv.s.statuses[status.id] = status;
  if (idemKey) srv.s.idempotency[idemKey] = { statusId: status.id, expiresAt: now(srv) + IDEMPOTENCY_MS };
  for (const [k, v] of Object.entries(srv.s.idempotency)) if (v.expiresAt <= now(srv)) delete srv.s.idempotency[k];
  return json(statusJson(srv, status, base));
}

export function getStatus(srv: Srv, req: Request, p: Params, id: string, base: string): Response {
  optionalAuth(srv, req, p);
  const s = srv.s.statuses[id];
  if (!s) throw new ApiError(404, "Record not found");
  return json(statusJson(srv, s, base));
}

export function accountStatuses(srv: Srv, req: Request, p: Params, accountId: string, base: string): Response {
  optionalAuth(srv, req, p);
  if (!srv.s.users[accountId]) throw new ApiError(404, "Record not found");
  const limit = Math.min(40, Math.max(1, Number(str(p, "limit") ?? 20) || 20));
  const maxId = /^\d+$/.test(str(p, "max_id") ?? "") ? str(p, "max_id") : undefined;
  const list = Object.values(srv.s.statuses)
    .filter((s) => s.userId === accountId && (maxId === undefined || BigInt(s.id) < BigInt(maxId)))
    .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1))
    .slice(0, limit);
  return json(list.map((s) => statusJson(srv, s, base)));
}
