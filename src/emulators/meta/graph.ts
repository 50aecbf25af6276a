import { createHmac, timingSafeEqual } from "node:crypto";
import { handleBatch } from "./batch";
import type { Ctx, RouteResult } from "./context";
import { debugTokenEndpoint } from "./debug-token";
import { errorBody, GraphError, objectNotFound, unknownPath } from "./errors";
import { delay, faultError, takeFault, THROTTLE_CODES } from "./faults";
import type { GraphRequest } from "./http";
import { insightsRoute, reportRunRoute } from "./insights";
import { accessTokenEndpoint } from "./oauth";
import { igEdgeRoute, igObjectNode } from "./ig-publishing";
import { pageEdgeRoute, postNode } from "./page-publishing";
import { adAccountNode, businessRoute, meAdAccounts, meBusinesses } from "./routes-ads";
import { igNode, meAccounts, pageNode } from "./routes-pages";
import { meNode, permissionsRoute } from "./routes-user";
import type { SandboxState, TokenRecord } from "./state";
import { lookupToken, tokenProblem } from "./tokens";
import { recordCall, saturatedUsage, throttleError, usageHeaders, type UsageInfo } from "./usage";

/** One Graph call from parsed request to status/headers/body (shared by HTTP and batch items). */

export type GraphOutcome = { status: number; headers: Record<string, string>; body: unknown; tokenId: string | null; timeout?: boolean };

function outcomeOf(e: unknown, tokenId: string | null, headers: Record<string, string> = {}): GraphOutcome {
  if (!(e instanceof GraphError)) throw e;
  return { status: e.status, headers: { ...headers, ...e.extraHeaders }, body: errorBody(e), tokenId };
}

function checkProof(ctx: Ctx): void {
  const { req, token, app } = ctx;
  const proof = req.params.appsecret_proof;
  if (!proof) {
    if (app.requireAppSecretProof && token.type !== "APP") {
      throw new GraphError({ code: 100, type: "GraphMethodException", message: "API calls from the server require an appsecret_proof argument" });
    }
    return;
  }
  const time = req.params.appsecret_time;
  const expected = createHmac("sha256", app.appSecret).update(time ? `${token.value}|${time}` : token.value).digest("hex");
  const a = Buffer.from(expected);
  const b = Buffer.from(proof.toLowerCase());
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new GraphError({ code: 100, type: "GraphMethodException", message: "Invalid appsecret_proof provided in the API argument" });
  }
}

const isUserRef = (ctx: Ctx, seg: string) => seg === "me" || (ctx.token.userId !== undefined && seg === ctx.token.userId);

function route(ctx: Ctx): RouteResult {
  const segs = ctx.req.segments;
  const [first, edge, ...rest] = segs;
  if (first === undefined) return multiRead(ctx);
  if (isUserRef(ctx, first)) {
    if (ctx.token.type === "PAGE" && first === "me" && !edge) return pageNode(ctx, ctx.token.pageId ?? "");
    if (!edge) return meNode(ctx);
    if (edge === "permissions") {
      if (rest.length > 1) throw unknownPath(`/${rest.slice(1).join("/")}`);
      return permissionsRoute(ctx, first, rest[0]);
    }
    if (rest.length > 0) throw unknownPath(`/${rest.join("/")}`);
    if (edge === "adaccounts") return meAdAccounts(ctx);
    if (edge === "businesses") return meBusinesses(ctx);
    if (edge === "accounts") return meAccounts(ctx);
    throw unknownPath(`/${edge}`);
  }
  if (ctx.token.type === "APP" && edge === "permissions") return permissionsRoute(ctx, first, rest[0]);
  if (first.startsWith("act_")) {
    if (!edge) return adAccountNode(ctx, first);
    if (edge === "insights" && rest.length === 0) return insightsRoute(ctx, first);
    throw unknownPath(`/${[edge, ...rest].join("/")}`);
  }
  if (ctx.s.world.reportRuns[first]) return reportRunRoute(ctx, first, edge, rest);
  const biz = businessRoute(ctx, first, edge, rest);
  if (biz) return biz;
  const page = pageEdgeRoute(ctx, first, edge, rest);
  if (page) return page;
  const ig = igEdgeRoute(ctx, first, edge, rest);
  if (ig) return ig;
  const igObject = igObjectNode(ctx, first, edge);
  if (igObject) return igObject;
  const post = postNode(ctx, first, edge);
  if (post) return post;
  if (!edge) {
    if (/^\d+$/.test(first)) {
      const asPage = tryNode(() => pageNode(ctx, first)) ?? tryNode(() => igNode(ctx, first));
      if (asPage) return asPage;
    }
  }
  if (!/^\d+$/.test(first)) throw new GraphError({ code: 803, message: `(#803) Some of the aliases you requested do not exist: ${first}` });
  throw objectNotFound(first);
}

function tryNode(f: () => RouteResult): RouteResult | null {
  try {
    return f();
  } catch (e) {
    if (e instanceof GraphError && e.code === 100 && e.subcode === 33) return null;
    throw e;
  }
}

/** GET /?ids=a,b — one object per id, keyed by id. */
function multiRead(ctx: Ctx): RouteResult {
  const ids = ctx.req.params.ids;
  if (!ids) throw new GraphError({ code: 100, message: "(#100) Must specify a node id or the ids parameter" });
  const out: Record<string, unknown> = {};
  for (const id of ids.split(",").map((x) => x.trim()).filter(Boolean)) {
    const sub: GraphRequest = { ...ctx.req, segments: [id], path: `/${id}` };
    out[id] = route({ ...ctx, req: sub }).body;
  }
  return { body: out };
}

/** Which ad account / Page a path is about, before routing (for throttles and usage headers). */
function usageHint(s: SandboxState, req: GraphRequest, token: TokenRecord): UsageInfo {
  const first = req.segments[0] ?? "";
  const u: UsageInfo = { appId: token.appId, personaId: token.personaId, pageToken: token.type === "PAGE" };
  const run = s.world.reportRuns[first];
  if (first.startsWith("act_")) u.adAccount = first.slice(4);
  else if (run) u.adAccount = run.accountNumber;
  else if (/^1(03|78414)\d+$/.test(first)) u.pageId = first;
  if (u.adAccount) u.kind = req.segments.includes("insights") ? "ads_insights" : "ads_management";
  else if (u.pageId) u.kind = first.startsWith("178414") ? "instagram" : "pages";
  return u;
}

/**
 * One call, with the next matching injected fault (checklist 16): it answers instead of the call, or
 * — `applied` — after the call took effect. Throttle codes carry usage headers at 100 % or more.
 */
export async function executeGraph(s: SandboxState, req: GraphRequest): Promise<GraphOutcome> {
  const known = req.token ? s.world.tokens[req.token] : undefined;
  const fault = takeFault(s, req.method, req.path);
  if (!fault) return runGraph(s, req);
  const real = fault.applied ? await runGraph(s, req) : null;
  if (fault.latencyMs) await delay(fault.latencyMs);
  if (fault.timeout && req.inBatch) return { status: 0, headers: {}, body: null, tokenId: known?.id ?? null, timeout: true };
  const injected = faultError(s, fault);
  if (!injected) return real ?? runGraph(s, req);
  const headers = known && THROTTLE_CODES.has(injected.code) ? saturatedUsage(s, usageHint(s, req, known), injected.code) : {};
  return outcomeOf(injected, known?.id ?? null, headers);
}

async function runGraph(s: SandboxState, req: GraphRequest): Promise<GraphOutcome> {
  const known = req.token ? s.world.tokens[req.token] : undefined;
  const [first, second] = req.segments;
  try {
    if (first === "oauth" && second === "access_token" && req.segments.length === 2) {
      const r = accessTokenEndpoint(s, req);
      return { status: 200, headers: {}, body: r.body, tokenId: r.tokenId };
    }
    if (first === "debug_token" && req.segments.length === 1) {
      const r = debugTokenEndpoint(s, req);
      return { status: 200, headers: {}, body: r.body, tokenId: r.tokenId };
    }
    if (first === undefined && req.method === "POST" && req.params.batch !== undefined) return await handleBatch(s, req);
  } catch (e) {
    return outcomeOf(e, known?.id ?? null);
  }
  if (!req.token) {
    const e =
      first === "me"
        ? new GraphError({ code: 2500, message: "An active access token must be used to query information about the current user." })
        : new GraphError({ code: 104, message: "An access token is required to request this resource." });
    return outcomeOf(e, null);
  }
  const token = lookupToken(s, req.token);
  if (token instanceof GraphError) return outcomeOf(token, null);
  const app = s.apps.get(token.appId);
  if (!app) return outcomeOf(new GraphError({ code: 190, message: "Invalid OAuth access token - Cannot parse access token" }), token.id);
  const problem = tokenProblem(s, token);
  if (problem) return outcomeOf(problem, token.id);
  const hint = usageHint(s, req, token);
  const ctx: Ctx = { s, req, token, app, usage: { adAccount: hint.adAccount, pageId: hint.pageId, kind: hint.kind } };
  try {
    checkProof(ctx);
    if (hint.adAccount && req.version && s.deprecatedAdsVersions.has(req.version)) {
      throw new GraphError({
        code: 2635,
        message: `(#2635) You are calling a deprecated version of the Ads API. Please update to the latest version: ${s.defaultVersion}.`,
      });
    }
    const throttled = throttleError(s, hint);
    if (throttled) return outcomeOf(throttled, token.id, usageHeaders(s, hint));
    recordCall(s, hint);
    const result = route(ctx);
    const usage = usageHeaders(s, { ...hint, ...ctx.usage });
    return { status: result.status ?? 200, headers: { ...usage, ...result.headers }, body: result.body, tokenId: token.id };
  } catch (e) {
    return outcomeOf(e, token.id, usageHeaders(s, { ...hint, ...ctx.usage }));
  }
}
