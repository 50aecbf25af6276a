import { lookup } from "node:dns/promises";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { pipeline, type Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { classifyAddress, isRefusedHostname, type AddressVerdict } from "./address-policy";
import { OutboundError } from "./outbound-error";

/**
 * The one way to call a host a user typed (Mastodon servers today). Every hop — the first URL
 * and each redirect — is checked after DNS resolution, and the connection goes to exactly the
 * address that was checked (the HTTP stack never resolves the name again, so a second DNS answer
 * cannot swap in a private address). The whole exchange, body included, runs under one deadline,
 * so a server that drips its answer a byte at a time cannot hold a worker; the body is counted
 * while it streams (after decompression) and cut off at the size cap.
 */

export type ResolvedAddress = { address: string; family: 4 | 6 };
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export type OutboundPolicy = {
  /**
   * Lifts the address rule (except cloud metadata) and the https-only rule, since local servers
   * speak plain http. For tests and local development only: env.ts refuses it in production.
   */
  allowPrivateHosts: boolean;
  /** TCP connect plus TLS handshake, per hop. */
  connectTimeoutMs?: number;
  /** The whole call: DNS, every redirect, headers and body. */
  timeoutMs?: number;
  maxResponseBytes?: number;
  maxRedirects?: number;
  resolve?: Resolver;
  userAgent?: string;
  /** Extra trusted CA certificates (a local TLS test server). */
  ca?: string | Buffer;
  /** How an address is judged (default classifyAddress); a test rig may stand a local server in for a public one. */
  classify?: (ip: string) => AddressVerdict;
};

export type OutboundInit = {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array | URLSearchParams;
  /** follow (default, up to maxRedirects), manual (return the 3xx), error (a redirect is an error). */
  redirect?: "follow" | "manual" | "error";
  signal?: AbortSignal;
  timeoutMs?: number;
  maxResponseBytes?: number;
};

/** A fetch-like call whose Response is already fully read (and size-checked). */
export type OutboundFetch = (url: string | URL, init?: OutboundInit) => Promise<Response>;

export const OUTBOUND_DEFAULTS = {
  connectTimeoutMs: 5_000,
  timeoutMs: 15_000,
  maxResponseBytes: 1024 * 1024,
  maxRedirects: 5,
} as const;

const systemResolve: Resolver = async (hostname) => {
  const found = await lookup(hostname, { all: true, verbatim: true });
  return found.map((x) => ({ address: x.address, family: x.family === 6 ? 6 : 4 }));
};

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/**
 * The scheme and host rules, then DNS, then the address rule for every answer. Cloud metadata
 * addresses stay refused even when private hosts are allowed: no sandbox lives there.
 */
async function checkTarget(url: URL, policy: OutboundPolicy, resolve: Resolver, signal: AbortSignal): Promise<ResolvedAddress> {
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new OutboundError("SCHEME_NOT_ALLOWED");
  if (url.username || url.password) throw new OutboundError("INVALID_URL");
  const strict = !policy.allowPrivateHosts;
  if (strict && url.protocol !== "https:") throw new OutboundError("SCHEME_NOT_ALLOWED");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: ResolvedAddress[];
  const literal = isIP(host);
  if (literal) {
    addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
  } else {
    if (strict && isRefusedHostname(host)) throw new OutboundError("HOST_NOT_ALLOWED");
    try {
      addresses = await raceAbort(resolve(host), signal);
    } catch (e) {
      if (signal.aborted) throw e;
      throw new OutboundError("DNS_FAILED", { cause: e });
    }
    if (addresses.length === 0) throw new OutboundError("DNS_FAILED");
  }
  const classify = policy.classify ?? classifyAddress;
  // Every answer must pass: a name with one private record is not trusted at all.
  for (const a of addresses) {
    const verdict = classify(a.address);
    if (!verdict.allowed && (strict || verdict.reason === "metadata")) {
      throw new OutboundError("ADDRESS_NOT_ALLOWED", { reason: verdict.reason });
    }
  }
  return [...addresses].sort((a, b) => a.family - b.family)[0]!;
}

type Hop = { url: URL; method: string; headers: Record<string, string>; body?: Buffer };

function exchange(hop: Hop, target: ResolvedAddress, signal: AbortSignal, connectTimeoutMs: number, ca?: string | Buffer): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const secure = hop.url.protocol === "https:";
    const hostname = hop.url.hostname.replace(/^\[|\]$/g, "");
    const options: https.RequestOptions = {
      // Pinned: connect to the checked address; the name only travels in Host and SNI.
      host: target.address,
      family: target.family,
      port: Number(hop.url.port) || (secure ? 443 : 80),
      path: `${hop.url.pathname}${hop.url.search}`,
      method: hop.method,
      headers: { ...hop.headers, host: hop.url.host, ...(hop.body ? { "content-length": String(hop.body.length) } : {}) },
      agent: false,
      signal,
      ...(secure ? { servername: isIP(hostname) ? "" : hostname, ...(ca ? { ca } : {}) } : {}),
    };
    const req = (secure ? https : http).request(options, (res) => {
      clearTimeout(connectTimer);
      resolve(res);
    });
    const connectTimer = setTimeout(() => req.destroy(new OutboundError("CONNECT_TIMEOUT")), connectTimeoutMs);
    req.once("socket", (socket) => socket.once(secure ? "secureConnect" : "connect", () => clearTimeout(connectTimer)));
    req.once("error", (e) => {
      clearTimeout(connectTimer);
      reject(e);
    });
    req.end(hop.body);
  });
}

function decoded(res: IncomingMessage): Readable {
  const encoding = String(res.headers["content-encoding"] ?? "").trim().toLowerCase();
  const decoder = encoding === "gzip" || encoding === "x-gzip" ? createGunzip() : encoding === "deflate" ? createInflate() : encoding === "br" ? createBrotliDecompress() : null;
  if (!decoder) return res;
  return pipeline(res, decoder, () => {});
}

/** The body, counted as it streams; a declared or actual size over the cap stops at once. */
async function readCapped(res: IncomingMessage, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  const declared = Number(res.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes && !res.headers["content-encoding"]) {
    res.destroy();
    throw new OutboundError("RESPONSE_TOO_LARGE");
  }
  const stream = decoded(res);
  const stop = () => {
    res.destroy();
    stream.destroy();
  };
  signal.addEventListener("abort", stop, { once: true });
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of stream) {
      total += (chunk as Buffer).length;
      if (total > maxBytes) {
        stop();
        throw new OutboundError("RESPONSE_TOO_LARGE");
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  } finally {
    signal.removeEventListener("abort", stop);
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function toResponse(res: IncomingMessage, body: Buffer, url: URL, redirected: boolean): Response {
  const headers = new Headers();
  for (const [k, v] of Object.entries(res.headers)) {
    if (v === undefined || k === "content-length" || k === "content-encoding") continue;
    for (const x of [v].flat()) headers.append(k, x);
  }
  const status = res.statusCode ?? 502;
  const noBody = status === 204 || status === 205 || status === 304;
  const response = new Response(noBody ? null : new Uint8Array(body), { status: status < 200 ? 502 : status, statusText: res.statusMessage, headers });
  // Like fetch: the URL the answer finally came from.
  Object.defineProperties(response, { url: { value: url.toString() }, redirected: { value: redirected } });
  return response;
}

const NETWORK_CODES = /^(ECONN|EHOST|ENET|EPIPE|ETIMEDOUT|EAI_|HPE_|ERR_STREAM_PREMATURE_CLOSE|UND_ERR)/;
const TLS_CODES = /^(ERR_TLS|ERR_SSL|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|ERR_OSSL|HOSTNAME_MISMATCH)/;

function toOutboundError(e: unknown): OutboundError {
  if (e instanceof OutboundError) return e;
  const code = typeof e === "object" && e !== null && "code" in e ? String((e as { code: unknown }).code) : "";
  if (TLS_CODES.test(code)) return new OutboundError("TLS_FAILED", { cause: e });
  if (NETWORK_CODES.test(code)) return new OutboundError("CONNECTION_FAILED", { cause: e });
  return new OutboundError("CONNECTION_FAILED", { cause: e });
}

function encodeBody(body: OutboundInit["body"]): { body?: Buffer; contentType?: string } {
  if (body === undefined) return {};
  if (body instanceof URLSearchParams) return { body: Buffer.from(body.toString()), contentType: "application/x-www-form-urlencoded;charset=UTF-8" };
  return { body: Buffer.from(body) };
}

function lowerKeys(headers: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

export function createOutboundFetch(policy: OutboundPolicy): OutboundFetch {
  const limits = {
    connectTimeoutMs: policy.connectTimeoutMs ?? OUTBOUND_DEFAULTS.connectTimeoutMs,
    timeoutMs: policy.timeoutMs ?? OUTBOUND_DEFAULTS.timeoutMs,
    maxResponseBytes: policy.maxResponseBytes ?? OUTBOUND_DEFAULTS.maxResponseBytes,
    maxRedirects: policy.maxRedirects ?? OUTBOUND_DEFAULTS.maxRedirects,
  };
  const resolve = policy.resolve ?? systemResolve;
  const userAgent = policy.userAgent ?? "Linkboard/0.1";

  return async function outboundFetch(input, init = {}) {
    const controller = new AbortController();
    let failure: OutboundError | undefined;
    const fail = (e: OutboundError) => {
      failure ??= e;
      controller.abort(e);
    };
    const timer = setTimeout(() => fail(new OutboundError("TIMEOUT")), init.timeoutMs ?? limits.timeoutMs);
    const onCallerAbort = () => fail(new OutboundError("ABORTED"));
    if (init.signal?.aborted) onCallerAbort();
    init.signal?.addEventListener("abort", onCallerAbort, { once: true });
    try {
      let url: URL;
      try {
        url = new URL(input);
      } catch (e) {
        throw new OutboundError("INVALID_URL", { cause: e });
      }
      const encoded = encodeBody(init.body);
      const headers: Record<string, string> = { "user-agent": userAgent, accept: "application/json", "accept-encoding": "gzip, deflate, br", ...lowerKeys(init.headers) };
      if (encoded.contentType && !headers["content-type"]) headers["content-type"] = encoded.contentType;
      let hop: Hop = { url, method: (init.method ?? "GET").toUpperCase(), headers, body: encoded.body };
      for (let redirects = 0; ; redirects++) {
        const target = await checkTarget(hop.url, policy, resolve, controller.signal);
        const res = await exchange(hop, target, controller.signal, limits.connectTimeoutMs, policy.ca);
        const location = res.headers.location;
        if (REDIRECTS.has(res.statusCode ?? 0) && location && init.redirect !== "manual") {
          res.destroy();
          if (init.redirect === "error") throw new OutboundError("REDIRECT_NOT_ALLOWED");
          if (redirects >= limits.maxRedirects) throw new OutboundError("TOO_MANY_REDIRECTS");
          hop = nextHop(hop, res.statusCode ?? 302, location);
          continue;
        }
        const body = await readCapped(res, init.maxResponseBytes ?? limits.maxResponseBytes, controller.signal);
        return toResponse(res, body, hop.url, redirects > 0);
      }
    } catch (e) {
      throw failure ?? toOutboundError(e);
    } finally {
      clearTimeout(timer);
      init.signal?.removeEventListener("abort", onCallerAbort);
    }
  };
}

/** Where a redirect leads, with fetch's method rules; credentials never cross origins. */
function nextHop(hop: Hop, status: number, location: string): Hop {
  let url: URL;
  try {
    url = new URL(location, hop.url);
  } catch (e) {
    throw new OutboundError("INVALID_URL", { cause: e });
  }
  const headers = { ...hop.headers };
  let { method, body } = hop;
  if (status === 303 ? method !== "HEAD" : (status === 301 || status === 302) && method === "POST") {
    method = "GET";
    body = undefined;
    for (const k of ["content-type", "content-length", "content-encoding", "content-language"]) delete headers[k];
  }
  if (url.origin !== hop.url.origin) {
    delete headers.authorization;
    delete headers.cookie;
  }
  return { url, method, headers, body };
}
