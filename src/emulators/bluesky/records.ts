import { createHash } from "node:crypto";
import { STANDARD_SCOPES, verifyAccess } from "./auth";
import { invalidRequest, XrpcError } from "./errors";
import { base32 } from "./personas";
import { consumeWrite } from "./rate-limit";
import { findAccount, now, type Account, type Runtime } from "./state";
import type { Ctx } from "./xrpc";

/** com.atproto.repo.createRecord (posts checked against the lexicon) and listRecords for read-back. */

const S32 = "234567abcdefghijklmnopqrstuvwxyz";
const TID_RE = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;
const RKEY_RE = /^[a-zA-Z0-9._:~-]{1,512}$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const POST = "app.bsky.feed.post";

/** A TID: 53 bits of microseconds and 10 bits of clock id, base32-sortable, strictly increasing. */
export function nextTid(rt: Runtime): string {
  const micros = Math.max(now(rt) * 1000, rt.s.lastTid + 1);
  rt.s.lastTid = micros;
  let n = (BigInt(micros) << 10n) | 7n;
  let out = "";
  for (let i = 0; i < 13; i++) {
    out = S32[Number(n & 31n)] + out;
    n >>= 5n;
  }
  return out;
}

/** A CIDv1 (dag-cbor, sha-256) over the record's JSON: the right shape, not the real bytes. */
export function cidFor(value: unknown): string {
  return `b${base32(Buffer.concat([Buffer.from([0x01, 0x71, 0x12, 0x20]), createHash("sha256").update(JSON.stringify(value)).digest()]))}`;
}

const graphemes = (s: string) => [...new Intl.Segmenter("en", { granularity: "grapheme" }).segment(s)].length;

function checkPost(record: Record<string, unknown>): void {
  const bad = (m: string) => invalidRequest(`Invalid app.bsky.feed.post record: ${m}`);
  if (record.text === undefined) throw bad('Record must have the property "text"');
  if (record.createdAt === undefined) throw bad('Record must have the property "createdAt"');
  if (typeof record.text !== "string") throw bad("Record/text must be a string");
  if (graphemes(record.text) > 300) throw bad("Record/text must not be longer than 300 graphemes");
  if (Buffer.byteLength(record.text, "utf8") > 3000) throw bad("Record/text must not be longer than 3000 characters");
  if (typeof record.createdAt !== "string" || !DATETIME_RE.test(record.createdAt) || Number.isNaN(Date.parse(record.createdAt))) {
    throw bad("Record/createdAt must be an valid atproto datetime (both RFC-3339 and ISO-8601)");
  }
}

function repoAccount(rt: Runtime, repo: string): Account | undefined {
  return repo.includes("@") ? undefined : findAccount(rt, repo);
}

export async function createRecord(ctx: Ctx): Promise<unknown> {
  const auth = verifyAccess(ctx.rt, ctx.headers, STANDARD_SCOPES);
  ctx.did = auth.did;
  const repo = String(ctx.input.repo);
  const target = repoAccount(ctx.rt, repo);
  if (!target) throw new XrpcError(403, "AccountNotFound", `Could not find repo: ${repo}`);
  if (target.did !== auth.did) throw new XrpcError(401, "AuthenticationRequired", "Authentication Required");
  if (auth.account.status === "deactivated") throw new XrpcError(401, "AccountDeactivated", "Account is deactivated");
  const collection = String(ctx.input.collection);
  const record = { ...(ctx.input.record as Record<string, unknown>) };
  if (record.$type === undefined) record.$type = collection;
  else if (record.$type !== collection) throw invalidRequest(`Invalid $type: expected ${collection}, got ${String(record.$type)}`);
  const validated = collection === POST && ctx.input.validate !== false;
  if (validated) checkPost(record);
  const rkey = ctx.input.rkey === undefined ? nextTid(ctx.rt) : String(ctx.input.rkey);
  if (!RKEY_RE.test(rkey) || rkey === "." || rkey === "..") throw invalidRequest("Invalid record key");
  const list = (ctx.rt.s.records[auth.did] ??= []);
  // A chosen rkey makes a retried create fail instead of posting twice.
  if (list.some((r) => r.collection === collection && r.rkey === rkey)) throw invalidRequest("Record already exists");
  consumeWrite(ctx, auth.did, 3);
  const uri = `at://${auth.did}/${collection}/${rkey}`;
  const cid = cidFor(record);
  list.push({ uri, cid, rkey, collection, value: record, indexedAt: now(ctx.rt) });
  const rev = nextTid(ctx.rt);
  return { uri, cid, commit: { cid: cidFor({ rev, uri }), rev }, validationStatus: validated ? "valid" : "unknown" };
}

export async function listRecords(ctx: Ctx): Promise<unknown> {
  const { repo, collection, cursor } = ctx.params as { repo: string; collection: string; cursor?: string };
  const limit = ctx.params.limit === undefined ? 50 : Number(ctx.params.limit);
  if (limit < 1) throw invalidRequest("Params/limit can not be less than 1");
  if (limit > 100) throw invalidRequest("Params/limit can not be greater than 100");
  const account = repoAccount(ctx.rt, repo);
  if (!account) throw invalidRequest(`Could not find repo: ${repo}`);
  if (account.status === "takendown") throw new XrpcError(400, "RepoTakendown", `Repo has been takendown: ${account.did}`);
  if (account.status === "deactivated") throw new XrpcError(400, "RepoDeactivated", `Repo has been deactivated: ${account.did}`);
  const reverse = ctx.params.reverse === "true";
  const all = (ctx.rt.s.records[account.did] ?? [])
    .filter((r) => r.collection === collection)
    .sort((a, b) => (a.rkey < b.rkey ? -1 : a.rkey > b.rkey ? 1 : 0) * (reverse ? 1 : -1));
  const after = cursor === undefined ? all : all.filter((r) => (reverse ? r.rkey > cursor : r.rkey < cursor));
  const page = after.slice(0, limit);
  return {
    records: page.map((r) => ({ uri: r.uri, cid: r.cid, value: r.value })),
    ...(after.length > limit ? { cursor: page[page.length - 1]!.rkey } : {}),
  };
}

export { TID_RE };
