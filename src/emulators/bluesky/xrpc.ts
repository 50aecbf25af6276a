import { errorResponse, invalidRequest, jsonResponse, XrpcError } from "./errors";
import { consume, enforce, POLICIES, rateHeaders, type Verdict } from "./rate-limit";
import { nextSeq, now, type Runtime } from "./state";

/**
 * XRPC plumbing: queries are GET, procedures POST with JSON; parameters and input checked the
 * way the lexicon validator words it; faults, rate limits and the request log around every call.
 */

export type Ctx = {
  rt: Runtime;
  request: Request;
  headers: Headers;
  params: Record<string, string>;
  input: Record<string, unknown>;
  /** origin + basePath: the PDS URL this sandbox advertises. */
  base: string;
  ip: string;
  did?: string;
  verdicts: Verdict[];
};

type PropType = "string" | "boolean" | "integer" | "object";
type Shape = { props: Record<string, PropType>; required?: string[] };

export type MethodDef = {
  type: "query" | "procedure";
  params?: Shape;
  input?: Shape;
  /** An object → 200 JSON; null → 200 with an empty body. */
  handler: (ctx: Ctx) => Promise<unknown>;
};

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref?.();
    signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });

function checkType(where: string, name: string, value: unknown, type: PropType): void {
  const ok =
    type === "string" ? typeof value === "string" : type === "boolean" ? typeof value === "boolean" : type === "integer" ? Number.isInteger(value) : typeof value === "object" && value !== null && !Array.isArray(value);
  if (!ok) throw invalidRequest(`${where}/${name} must be ${type === "integer" ? "an integer" : type === "object" ? "an object" : `a ${type}`}`);
}

function readParams(def: MethodDef, url: URL): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [k, v] of url.searchParams) params[k] = v;
  for (const name of def.params?.required ?? []) if (!(name in params)) throw invalidRequest(`Params must have the property "${name}"`);
  for (const [name, type] of Object.entries(def.params?.props ?? {})) {
    if (name in params && type === "integer" && !/^-?\d+$/.test(params[name]!)) throw invalidRequest(`Params/${name} must be an integer`);
    if (name in params && type === "boolean" && !/^(true|false)$/.test(params[name]!)) throw invalidRequest(`Params/${name} must be a boolean`);
  }
  return params;
}

async function readInput(def: MethodDef, request: Request): Promise<Record<string, unknown>> {
  if (!def.input) return {};
  const text = await request.text();
  if (text === "") throw invalidRequest("A request body is expected but none was provided");
  const type = request.headers.get("content-type");
  if (!type) throw invalidRequest("Request encoding (Content-Type) required but not provided");
  if (type.split(";")[0]!.trim().toLowerCase() !== "application/json") throw invalidRequest(`Wrong request encoding (Content-Type): ${type}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalidRequest("Request body is not valid JSON");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw invalidRequest("Input must be an object");
  const input = body as Record<string, unknown>;
  for (const name of def.input.required ?? []) if (input[name] === undefined) throw invalidRequest(`Input must have the property "${name}"`);
  for (const [name, type] of Object.entries(def.input.props)) if (input[name] !== undefined) checkType("Input", name, input[name], type);
  return input;
}

async function applyFault(ctx: Ctx, nsid: string): Promise<void> {
  const s = ctx.rt.s;
  const f = s.faults.find((x) => x.remaining > 0 && (!x.nsid || x.nsid === "*" || x.nsid === nsid));
  if (!f) return;
  f.remaining--;
  s.faults = s.faults.filter((x) => x.remaining > 0);
  if (f.delayMs) await sleep(f.delayMs, ctx.request.signal);
  if (f.timeout) {
    // Hold the answer until the client gives up (or a minute passes), as a hung upstream would.
    await sleep(60_000, ctx.request.signal);
    throw new XrpcError(504, "UpstreamTimeout", "Upstream Timeout");
  }
  if (f.status === undefined) return;
  if (f.status === 429) {
    const policy = nsid === "com.atproto.server.createSession" ? POLICIES.loginShort : POLICIES.global;
    const exhausted: Verdict = { ...policy, remaining: 0, resetAt: now(ctx.rt) + policy.windowMs, exceeded: true };
    ctx.verdicts.push(exhausted);
    throw new XrpcError(429, f.error, f.message, { "Retry-After": String(policy.windowMs / 1000) });
  }
  throw new XrpcError(f.status, f.error, f.message);
}

export async function dispatch(rt: Runtime, methods: Record<string, MethodDef>, request: Request, nsid: string, base: string): Promise<Response> {
  const url = new URL(request.url);
  const ip = (request.headers.get("x-forwarded-for") ?? "").split(",")[0]!.trim() || "127.0.0.1";
  const ctx: Ctx = { rt, request, headers: request.headers, params: {}, input: {}, base, ip, verdicts: [] };
  let res: Response;
  try {
    enforce(ctx, consume(rt, `global|${ip}`, POLICIES.global));
    const def = Object.hasOwn(methods, nsid) ? methods[nsid] : undefined;
    if (!def) throw new XrpcError(501, "MethodNotImplemented", "Method Not Implemented");
    const expected = def.type === "query" ? "GET" : "POST";
    const verb = request.method === "HEAD" ? "GET" : request.method;
    if (verb !== expected) throw invalidRequest(`Incorrect HTTP method (${request.method}) expected ${expected}`);
    await applyFault(ctx, nsid);
    ctx.params = readParams(def, url);
    ctx.input = await readInput(def, request);
    const out = await def.handler(ctx);
    res = out instanceof Response ? out : out === null ? new Response(null, { status: 200 }) : jsonResponse(out);
  } catch (e) {
    // Anything unexpected is a generic 500, as the PDS never details those.
    res = errorResponse(e instanceof XrpcError ? e : new XrpcError(500));
  }
  for (const [k, v] of Object.entries(rateHeaders(ctx.verdicts))) res.headers.set(k, v);
  if (request.headers.has("authorization")) {
    res.headers.set("cache-control", "private");
    res.headers.set("vary", "Authorization");
  }
  const body = res.status >= 400 ? ((await res.clone().json()) as { error?: string }) : null;
  rt.s.requestLog.push({ seq: nextSeq(rt), at: now(rt), method: request.method, nsid, status: res.status, ...(body?.error ? { error: body.error } : {}), ...(ctx.did ? { did: ctx.did } : {}) });
  if (rt.s.requestLog.length > 5000) rt.s.requestLog.splice(0, rt.s.requestLog.length - 5000);
  return res;
}
