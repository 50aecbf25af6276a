import "server-only";
import { createHmac } from "node:crypto";
import type { z } from "zod";
import { env } from "@/env";
import { logger, maskUrl } from "@/server/logger";
import { MetaApiError, MetaRequestError, MetaTransientError, networkError, toMetaError, unexpectedResponse } from "./errors";
import {
  batchResponseSchema,
  debugTokenResponseSchema,
  errorEnvelopeSchema,
  pageSchema,
  successResponseSchema,
  tokenResponseSchema,
  type DebugTokenData,
  type Page,
  type TokenResponse,
} from "./schema";
import { hasUsage, parseUsageHeaders, retryAfterSeconds, type GraphUsage } from "./usage-headers";

/**
 * The typed Graph API client. Every answer is zod-parsed; every user-token call carries
 * `appsecret_proof`; tokens travel in the Authorization header or a form body, never in a URL we
 * build (the `next` links Meta returns embed one: it is moved to the header before following);
 * Meta errors become the typed errors of ./errors.ts.
 */
export type GraphClientOptions = {
  appId: string;
  appSecret: string;
  graphUrl: string;
  graphVersion: string;
  fetch?: typeof fetch;
  /** Per HTTP call; a slower answer becomes a MetaTransientError. */
  timeoutMs?: number;
};

type Params = Record<string, string>;

export type BatchRequest<T = unknown> = {
  method?: "GET" | "POST" | "DELETE";
  /** Relative to the version root, e.g. "me/adaccounts". */
  path: string;
  params?: Params;
  /** This item's own token (e.g. the app token for debug_token); else the batch's token. */
  accessToken?: string;
  schema: z.ZodType<T>;
};

export type BatchResult<T> = { ok: true; value: T } | { ok: false; error: MetaApiError };
type Results<R extends readonly BatchRequest[]> = { [K in keyof R]: BatchResult<R[K] extends BatchRequest<infer T> ? T : never> };

const MAX_BATCH = 50;
const DEFAULT_TIMEOUT_MS = 20_000;

export function appSecretProof(token: string, appSecret: string): string {
  return createHmac("sha256", appSecret).update(token).digest("hex");
}

/** The value of a batch item or page, or its error thrown. */
export function unwrap<T>(result: BatchResult<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}

export function createGraphClient(options: GraphClientOptions) {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const root = `${options.graphUrl.replace(/\/+$/, "")}/${options.graphVersion}`;
  const origin = new URL(options.graphUrl).origin;
  const appToken = `${options.appId}|${options.appSecret}`;
  const usageListeners = new Set<(usage: GraphUsage) => void>();
  const notifyUsage = (usage: GraphUsage) => {
    if (hasUsage(usage)) for (const listener of usageListeners) listener(usage);
  };
  const proof = (token: string) => appSecretProof(token, options.appSecret);

  /** One HTTP round trip: fetch with a deadline, usage logged, JSON or a typed error back. */
  async function call(url: string, init: RequestInit): Promise<{ body: unknown; headers: Headers }> {
    const started = performance.now();
    let res: Response;
    try {
      res = await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      logger.warn({ graph: { method: init.method, url: maskUrl(url), ms: Math.round(performance.now() - started) } }, "graph call failed");
      throw networkError(error);
    }
    const usage = parseUsageHeaders(res.headers);
    notifyUsage(usage);
    const ms = Math.round(performance.now() - started);
    logger.debug({ graph: { method: init.method, url: maskUrl(url), status: res.status, ms, ...(hasUsage(usage) ? { usage } : {}) } }, "graph call");
    let body: unknown;
    try {
      body = await res.json();
    } catch (error) {
      throw error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")
        ? networkError(error)
        : unexpectedResponse(res.status, "not JSON");
    }
    const envelope = errorEnvelopeSchema.safeParse(body);
    if (envelope.success) throw toMetaError(envelope.data.error, { httpStatus: res.status, retryAfterSeconds: retryAfterSeconds(usage) });
    if (!res.ok) throw unexpectedResponse(res.status, "no error body");
    return { body, headers: res.headers };
  }

  function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      logger.warn({ graph: { what, issues: parsed.error.issues.slice(0, 3).map((i) => ({ path: i.path.join("."), message: i.message })) } }, "unexpected graph shape");
      throw new MetaRequestError({ message: `Facebook sent an answer we do not understand (${what}).`, cause: parsed.error });
    }
    return parsed.data;
  }

  const userHeaders = (token: string) => ({ authorization: `Bearer ${token}` });
  const withProof = (url: URL, token: string) => {
    url.searchParams.delete("access_token");
    url.searchParams.set("appsecret_proof", proof(token));
    return url.toString();
  };

  async function get<T>(path: string, schema: z.ZodType<T>, token: string, params: Params = {}): Promise<T> {
    const url = new URL(`${root}/${path.replace(/^\/+/, "")}`);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const { body } = await call(withProof(url, token), { method: "GET", headers: userHeaders(token) });
    return parse(schema, body, path);
  }

  /** Follows a `next` link. Only links on our Graph origin are followed (a token never leaves for another host). */
  async function getNext<T>(next: string, itemSchema: z.ZodType<T>, token: string): Promise<Page<T>> {
    const url = new URL(next);
    if (url.origin !== origin) throw new MetaRequestError({ message: "Facebook sent a paging link to an unexpected host." });
    const { body } = await call(withProof(url, token), { method: "GET", headers: userHeaders(token) });
    return parse(pageSchema(itemSchema), body, `${url.pathname} (next page)`) as Page<T>;
  }

  /** Every item after `first`, following `next` until it is absent (short pages do not end a list). */
  async function followPages<T>(first: Page<T>, itemSchema: z.ZodType<T>, token: string, onPage?: () => void): Promise<T[]> {
    const items = [...first.data];
    let next = first.paging?.next;
    while (next) {
      onPage?.();
      const page = await getNext(next, itemSchema, token);
      items.push(...page.data);
      next = page.paging?.next;
    }
    return items;
  }

  async function getAllPages<T>(path: string, itemSchema: z.ZodType<T>, token: string, params: Params = {}): Promise<T[]> {
    const first = (await get(path, pageSchema(itemSchema), token, params)) as Page<T>;
    return followPages(first, itemSchema, token);
  }

  async function postForm(path: string, form: Params): Promise<unknown> {
    const { body } = await call(`${root}/${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });
    return body;
  }

  /** Short-lived → long-lived user token (secret in the form body, never in a URL). */
  async function exchangeForLongLivedToken(shortToken: string): Promise<TokenResponse> {
    const body = await postForm("oauth/access_token", {
      grant_type: "fb_exchange_token",
      client_id: options.appId,
      client_secret: options.appSecret,
      fb_exchange_token: shortToken,
    });
    return parse(tokenResponseSchema, body, "oauth/access_token");
  }

  function batchItem(req: BatchRequest, token: string) {
    const itemToken = req.accessToken ?? token;
    const q = new URLSearchParams(req.params);
    q.set("appsecret_proof", proof(itemToken));
    const method = req.method ?? "GET";
    const item: Record<string, string> = { method, relative_url: `${req.path.replace(/^\/+/, "")}?${q.toString()}` };
    // A per-item token goes in the item body, which travels inside our POST body, not a URL.
    if (req.accessToken) {
      if (method === "GET") item.relative_url += `&access_token=${encodeURIComponent(req.accessToken)}`;
      else item.body = `access_token=${encodeURIComponent(req.accessToken)}`;
    }
    return item;
  }

  async function sendBatch(requests: readonly BatchRequest[], token: string): Promise<BatchResult<unknown>[]> {
    const body = await postForm("", {
      access_token: token,
      appsecret_proof: proof(token),
      batch: JSON.stringify(requests.map((r) => batchItem(r, token))),
    });
    const items = parse(batchResponseSchema, body, "batch");
    if (items.length !== requests.length) throw new MetaTransientError({ message: "Facebook answered part of a batch request.", hint: "Try again in a moment." });
    return items.map((item, i): BatchResult<unknown> => {
      const req = requests[i]!;
      if (item === null) return { ok: false, error: new MetaTransientError({ message: "Facebook did not finish part of a batch request.", hint: "Try again in a moment." }) };
      const usage = parseUsageHeaders(item.headers);
      notifyUsage(usage);
      let parsed: unknown;
      try {
        parsed = JSON.parse(item.body);
      } catch {
        return { ok: false, error: unexpectedResponse(item.code, `${req.path}: not JSON`) };
      }
      const envelope = errorEnvelopeSchema.safeParse(parsed);
      if (envelope.success) return { ok: false, error: toMetaError(envelope.data.error, { httpStatus: item.code, retryAfterSeconds: retryAfterSeconds(usage) }) };
      if (item.code >= 300) return { ok: false, error: unexpectedResponse(item.code, req.path) };
      try {
        return { ok: true, value: parse(req.schema, parsed, req.path) };
      } catch (error) {
        return { ok: false, error: error as MetaApiError };
      }
    });
  }

  /**
   * Several reads in one round trip. More than 50 items are split into batches of ≤ 50 sent in
   * parallel. Results come back in request order, each a value or its own typed error.
   */
  async function batch<const R extends readonly BatchRequest[]>(requests: R, token: string): Promise<Results<R>> {
    const chunks: BatchRequest[][] = [];
    for (let i = 0; i < requests.length; i += MAX_BATCH) chunks.push(requests.slice(i, i + MAX_BATCH));
    const answers = await Promise.all(chunks.map((chunk) => sendBatch(chunk, token)));
    return answers.flat() as Results<R>;
  }

  /** Removes the app from the user's Facebook account: every token of this user for our app dies. */
  async function revokePermissions(token: string): Promise<boolean> {
    const url = new URL(`${root}/me/permissions`);
    const { body } = await call(withProof(url, token), { method: "DELETE", headers: userHeaders(token) });
    return parse(successResponseSchema, body, "DELETE me/permissions").success;
  }

  /** Inspects a token with the app token. An invalid token comes back as data with `error`, not a throw. */
  async function debugToken(token: string): Promise<DebugTokenData> {
    const data = await get("debug_token", debugTokenResponseSchema, appToken, { input_token: token });
    return data.data;
  }

  /** Hears the usage headers of every answer (batch items included) until the returned function is called. */
  function onUsage(listener: (usage: GraphUsage) => void): () => void {
    usageListeners.add(listener);
    return () => usageListeners.delete(listener);
  }

  return {
    appId: options.appId,
    appToken,
    onUsage,
    get,
    getNext,
    followPages,
    getAllPages,
    batch,
    exchangeForLongLivedToken,
    revokePermissions,
    debugToken,
  };
}

export type GraphClient = ReturnType<typeof createGraphClient>;

/** The client for the configured Meta app (or the sandbox). */
export function graphClientFromEnv(overrides: Pick<GraphClientOptions, "fetch" | "timeoutMs"> = {}): GraphClient {
  const meta = env().meta;
  return createGraphClient({ appId: meta.appId, appSecret: meta.appSecret, graphUrl: meta.graphUrl, graphVersion: meta.graphVersion, ...overrides });
}
