import { z } from "zod";
import { GraphError } from "./errors";
import { executeGraph, type GraphOutcome } from "./graph";
import { splitVersion, type GraphRequest, type Params } from "./http";
import type { SandboxState } from "./state";

/** POST / with `batch`: ≤ 50 operations, per-item tokens, JSONPath references (§16). */

const MAX_ITEMS = 50;

const itemSchema = z.object({
  method: z.string().default("GET"),
  relative_url: z.string(),
  body: z.string().optional(),
  name: z.string().optional(),
  depends_on: z.string().optional(),
  omit_response_on_success: z.boolean().optional(),
});

type Item = z.infer<typeof itemSchema>;

/** Walks `$.data.*.id`-style paths over a parsed body. */
function jsonPath(value: unknown, path: string): unknown[] {
  const parts = path.replace(/^\$\.?/, "").split(".").filter(Boolean);
  let current: unknown[] = [value];
  for (const part of parts) {
    const next: unknown[] = [];
    for (const v of current) {
      if (part === "*" && Array.isArray(v)) next.push(...v);
      else if (Array.isArray(v) && /^\d+$/.test(part)) next.push(v[Number(part)]);
      else if (v && typeof v === "object") next.push((v as Record<string, unknown>)[part]);
    }
    current = next.filter((x) => x !== undefined);
  }
  return current;
}

/** Replace {result=name:$.path} references; null when a referenced operation failed. */
function resolveRefs(text: string, results: Map<string, { ok: boolean; body: unknown }>): string | null {
  let failed = false;
  const out = text.replace(/\{result=([^:}]+):([^}]+)\}/g, (_m, name: string, path: string) => {
    const r = results.get(name);
    if (!r?.ok) {
      failed = true;
      return "";
    }
    return jsonPath(r.body, decodeURIComponent(path)).map(String).join(",");
  });
  return failed ? null : out;
}

function itemRequest(outer: GraphRequest, item: Item, relativeUrl: string, body: string | undefined): GraphRequest {
  const url = new URL(relativeUrl.replace(/^\/+/, ""), "http://batch.invalid/");
  const { version, rest } = splitVersion(url.pathname);
  const query: Params = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const bodyParams: Params = {};
  for (const [k, v] of new URLSearchParams(body ?? "")) bodyParams[k] = v;
  const params = { ...bodyParams, ...query };
  const token = params.access_token ?? outer.token;
  const path = rest.replace(/\/+$/, "") || "/";
  return {
    method: item.method.toUpperCase(),
    path,
    segments: path.split("/").filter(Boolean).map(decodeURIComponent),
    version: version ?? outer.version,
    params,
    query: token && !query.access_token ? { ...query, access_token: token } : query,
    base: outer.base,
    headers: new Headers(),
    token,
    tokenSource: params.access_token ? "query" : outer.tokenSource,
    inBatch: true,
  };
}

export async function handleBatch(s: SandboxState, req: GraphRequest): Promise<GraphOutcome> {
  let raw: unknown;
  try {
    raw = JSON.parse(req.params.batch ?? "");
  } catch {
    throw new GraphError({ code: 100, message: "(#100) The parameter batch must be a JSON array", status: 400 });
  }
  const parsed = z.array(itemSchema).safeParse(raw);
  if (!parsed.success) throw new GraphError({ code: 100, message: "(#100) Each batch item needs a method and a relative_url", status: 400 });
  const items = parsed.data;
  if (items.length > MAX_ITEMS) throw new GraphError({ code: 1, message: "(#1) Too many requests in batch message. Maximum batch size is 50", status: 400 });
  const includeHeaders = req.params.include_headers !== "false";
  const results = new Map<string, { ok: boolean; body: unknown }>();
  const referenced = new Set<string>();
  for (const it of items) for (const m of `${it.relative_url} ${it.body ?? ""}`.matchAll(/\{result=([^:}]+):/g)) if (m[1]) referenced.add(m[1]);
  const out: unknown[] = [];
  let timedOut = false;
  for (const item of items) {
    if (timedOut || (item.depends_on && !results.get(item.depends_on)?.ok)) {
      out.push(null);
      if (item.name) results.set(item.name, { ok: false, body: null });
      continue;
    }
    const rel = resolveRefs(item.relative_url, results);
    const body = item.body === undefined ? undefined : resolveRefs(item.body, results);
    if (rel === null || body === null) {
      out.push(null);
      continue;
    }
    const outcome = await executeGraph(s, itemRequest(req, item, rel, body));
    if (outcome.timeout) {
      timedOut = true;
      out.push(null);
      continue;
    }
    const ok = outcome.status >= 200 && outcome.status < 300;
    if (item.name) results.set(item.name, { ok, body: outcome.body });
    const omit = item.name !== undefined && ok && (item.omit_response_on_success ?? referenced.has(item.name));
    if (omit) {
      out.push(null);
      continue;
    }
    const headers = { "Content-Type": "text/javascript; charset=UTF-8", "Cache-Control": "private, no-cache, no-store, must-revalidate", ...outcome.headers };
    const element: Record<string, unknown> = { code: outcome.status, body: JSON.stringify(outcome.body) };
    if (includeHeaders) element.headers = Object.entries(headers).map(([name, value]) => ({ name, value }));
    out.push(element);
  }
  const outerToken = req.token ? s.world.tokens[req.token] : undefined;
  return { status: 200, headers: {}, body: out, tokenId: outerToken?.id ?? null };
}
