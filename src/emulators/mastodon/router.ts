import { asset, getAccount, userinfo, verifyCredentials } from "./accounts";
import { createApp, verifyAppCredentials } from "./apps";
import { authorizeGet, authorizePost, type Where } from "./authorize";
import { instanceV1, instanceV2, nodeinfo, nodeinfoLinks, notFoundPage, oauthMetadata } from "./discovery";
import { applyFault, applyMisbehaviour } from "./faults";
import { bearer, clientIp, readParams, type Params } from "./http";
import { count, LIMITS, rateHeaders, tooMany, type Verdict } from "./rate-limit";
import { ApiError, html, json, page } from "./responses";
import { accountStatuses, createStatus, getStatus } from "./statuses";
import { nextSeq, now, type Srv } from "./state";
import { revokeEndpoint, tokenEndpoint } from "./token";
import { features } from "./versions";

/** One Mastodon server: misbehaviour and faults first, then rate limits, routes, and the log. */

type Route = (srv: Srv, req: Request, p: Params, where: Where, m: RegExpExecArray) => Response;

const ROUTES: [string, RegExp, Route][] = [
  ["GET", /^\/\.well-known\/oauth-authorization-server$/, (srv, _r, _p, w) => oauthMetadata(srv, w.base)],
  ["GET", /^\/\.well-known\/nodeinfo$/, (_s, _r, _p, w) => nodeinfoLinks(w.base)],
  ["GET", /^\/nodeinfo\/2\.0$/, (srv) => nodeinfo(srv)],
  ["GET", /^\/api\/v1\/instance$/, (srv, _r, _p, w) => instanceV1(srv, w.base)],
  ["GET", /^\/api\/v2\/instance$/, (srv, _r, _p, w) => instanceV2(srv, w.base)],
  ["POST", /^\/api\/v1\/apps$/, (srv, _r, p) => createApp(srv, p)],
  ["GET", /^\/api\/v1\/apps\/verify_credentials$/, (srv, r, p) => verifyAppCredentials(srv, r, p)],
  ["GET", /^\/oauth\/authorize$/, (srv, r, p, w) => authorizeGet(srv, p, r.headers, w)],
  ["POST", /^\/oauth\/authorize$/, (srv, _r, p, w) => authorizePost(srv, p, w)],
  ["POST", /^\/oauth\/token$/, (srv, r, p) => tokenEndpoint(srv, r, p)],
  ["POST", /^\/oauth\/revoke$/, (srv, r, p) => revokeEndpoint(srv, r, p)],
  ["GET", /^\/oauth\/userinfo$/, (srv, r, p, w) => (features(srv.s.version).userinfo ? userinfo(srv, r, p, w.base) : notFoundPage())],
  ["POST", /^\/oauth\/userinfo$/, (srv, r, p, w) => (features(srv.s.version).userinfo ? userinfo(srv, r, p, w.base) : notFoundPage())],
  ["GET", /^\/api\/v1\/accounts\/verify_credentials$/, (srv, r, p, w) => verifyCredentials(srv, r, p, w.base)],
  ["GET", /^\/api\/v1\/accounts\/(\d+)$/, (srv, _r, _p, w, m) => getAccount(srv, m[1]!, w.base)],
  ["GET", /^\/api\/v1\/accounts\/(\d+)\/statuses$/, (srv, r, p, w, m) => accountStatuses(srv, r, p, m[1]!, w.base)],
  ["POST", /^\/api\/v1\/statuses$/, (srv, r, p, w) => createStatus(srv, r, p, w.base)],
  ["GET", /^\/api\/v1\/statuses\/(\d+)$/, (srv, r, p, w, m) => getStatus(srv, r, p, m[1]!, w.base)],
];

/** rack-attack: per token and per account when a known token is sent, else per IP. */
function throttle(srv: Srv, req: Request, p: Params): Verdict[] {
  const value = bearer(req, p);
  const token = value ? srv.s.tokens[value] : undefined;
  if (token && token.revokedAt === undefined) {
    return [count(srv, `token:${token.id}`, LIMITS.perToken), ...(token.userId ? [count(srv, `account:${token.userId}`, LIMITS.perAccount)] : [])];
  }
  return [count(srv, `ip:${clientIp(req)}`, LIMITS.perIp)];
}

async function route(srv: Srv, req: Request, path: string, where: Where): Promise<Response> {
  const misbehaving = applyMisbehaviour(srv, req, path);
  if (misbehaving) return misbehaving;
  const faulted = await applyFault(srv, req, path);
  if (faulted) return faulted;
  const p = await readParams(req);
  const api = path.startsWith("/api/");
  const verdicts = api ? throttle(srv, req, p) : [];
  let res: Response;
  try {
    if (verdicts.some((v) => v.exceeded)) throw tooMany(verdicts);
    const method = req.method === "HEAD" ? "GET" : req.method;
    const hit = ROUTES.map(([m, re, fn]) => [m === method ? re.exec(path) : null, fn] as const).find(([m]) => m);
    if (hit?.[0]) res = hit[1](srv, req, p, where, hit[0]);
    else {
      const file = method === "GET" ? asset(srv, path, where.base) : null;
      res = file ?? (path === "/" ? html(page(srv.s.title, `<h1>${srv.s.title}</h1><p>A Mastodon server (sandbox) for ${srv.s.domain}.</p>`)) : api ? json({ error: "Record not found" }, 404) : notFoundPage());
    }
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    res = json({ error: e.message }, e.status, e.headers);
  }
  if (api) for (const [k, v] of Object.entries(rateHeaders(verdicts))) if (!res.headers.has(k)) res.headers.set(k, v);
  return res;
}

export async function handleServer(srv: Srv, req: Request, path: string, where: Where): Promise<Response> {
  const res = await route(srv, req, path, where);
  const value = bearer(req, Object.fromEntries(new URL(req.url).searchParams));
  const tokenId = value ? srv.s.tokens[value]?.id : undefined;
  const log = srv.root.requestLog;
  log.push({ seq: nextSeq(srv.root), at: now(srv), server: srv.s.id, method: req.method, path, status: res.status, ...(tokenId ? { tokenId } : {}) });
  if (log.length > 5000) log.splice(0, log.length - 5000);
  return res;
}
