import { pathMatches } from "./http";
import { LIMITS, rateHeaders } from "./rate-limit";
import { html, json, OAUTH_TEXT, type OAuthCode, page, serverErrorPage } from "./responses";
import { now, type Srv } from "./state";

/**
 * Injected failures (any status, a count, a delay, or a held answer) in the shape each part of a
 * Mastodon server fails in, and misbehaviours for the app's safety tests: a huge answer, an
 * endless redirect, a redirect elsewhere, a slow drip.
 */

export type FaultSpec = {
  /** Path pattern (`*` within a segment, `**` across); omitted = every path. */
  path?: string;
  method?: string;
  status?: number;
  /** For the REST API: a JSON `{error}` with this text (5xx are HTML unless a message is given). */
  message?: string;
  count?: number;
  delayMs?: number;
  /** Hold the answer until the client gives up. */
  timeout?: boolean;
};

export type MisbehaviourSpec = {
  path?: string;
  mode: "huge" | "redirect-loop" | "redirect" | "slow-drip";
  /** huge: total bytes (default 64 MiB); slow-drip: bytes to drip (default 1 MiB). */
  bytes?: number;
  /** slow-drip: real milliseconds between bytes (default 1000). */
  intervalMs?: number;
  /** redirect: where to (e.g. http://169.254.169.254/latest/meta-data/). */
  location?: string;
  /** How many requests (default: until cleared). */
  count?: number;
};

const OAUTH_BY_STATUS: Record<number, OAuthCode> = { 400: "invalid_request", 401: "invalid_client", 403: "unauthorized_client" };
const API_DEFAULT: Record<number, string> = {
  401: "The access token is invalid",
  403: "This action is outside the authorized scopes",
  404: "Record not found",
  410: "Gone",
  422: "Validation failed",
  429: "Too many requests",
};

export function holdUntilAborted(signal: AbortSignal, ms = 60_000): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref?.();
    signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });
}

function faultResponse(srv: Srv, path: string, status: number, message?: string): Response {
  if (path === "/oauth/authorize" || !path.startsWith("/api/") && !path.startsWith("/oauth/")) {
    return status >= 500 ? serverErrorPage(status) : html(page("Error", `<h1>Error ${status}</h1>${message ? `<p>${message}</p>` : ""}`), status);
  }
  if (path.startsWith("/oauth/")) {
    const code: OAuthCode = OAUTH_BY_STATUS[status] ?? (status === 503 ? "temporarily_unavailable" : status >= 500 ? "server_error" : "invalid_request");
    return json({ error: code, error_description: message ?? OAUTH_TEXT[code] }, status);
  }
  if (status === 429) {
    const resetAt = Math.floor(now(srv) / LIMITS.perToken.periodMs + 1) * LIMITS.perToken.periodMs;
    return json({ error: message ?? API_DEFAULT[429] }, 429, rateHeaders([{ limit: LIMITS.perToken.limit, remaining: 0, resetAt, exceeded: true }]));
  }
  if (status >= 500 && message === undefined) return serverErrorPage(status);
  return json({ error: message ?? API_DEFAULT[status] ?? "Error" }, status);
}

/** The first matching fault, counted down; its answer, or null to go on normally (after any delay). */
export async function applyFault(srv: Srv, req: Request, path: string): Promise<Response | null> {
  const f = srv.s.faults.find((x) => x.remaining > 0 && pathMatches(x.path, path) && (!x.method || x.method.toUpperCase() === req.method));
  if (!f) return null;
  f.remaining--;
  srv.s.faults = srv.s.faults.filter((x) => x.remaining > 0);
  if (f.delayMs) await holdUntilAborted(req.signal, f.delayMs);
  if (f.timeout) {
    await holdUntilAborted(req.signal);
    return serverErrorPage(504);
  }
  return f.status === undefined ? null : faultResponse(srv, path, f.status, f.message);
}

function stream(produce: (controller: ReadableStreamDefaultController<Uint8Array>) => void | Promise<void>, cancel: () => void): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({ pull: produce, cancel }, { highWaterMark: 0 });
}

function huge(bytes: number): Response {
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  let sent = 0;
  const body = stream(
    (c) => {
      if (sent === 0) {
        c.enqueue(new TextEncoder().encode('{"padding":"'));
        sent = 12;
        return;
      }
      if (sent >= bytes) return c.close();
      const n = Math.min(chunk.length, bytes - sent);
      c.enqueue(chunk.subarray(0, n));
      sent += n;
    },
    () => {},
  );
  return new Response(body, { headers: { "content-type": "application/json; charset=utf-8" } });
}

function slowDrip(bytes: number, intervalMs: number, signal: AbortSignal): Response {
  let sent = 0;
  let timer: NodeJS.Timeout | undefined;
  const body = stream(
    (c) =>
      new Promise<void>((resolve) => {
        if (sent >= bytes || signal.aborted) {
          c.close();
          return resolve();
        }
        timer = setTimeout(() => {
          c.enqueue(new Uint8Array([sent === 0 ? 0x7b : 0x20]));
          sent++;
          resolve();
        }, intervalMs);
      }),
    () => clearTimeout(timer),
  );
  signal.addEventListener("abort", () => clearTimeout(timer), { once: true });
  return new Response(body, { headers: { "content-type": "application/json; charset=utf-8" } });
}

/** A misbehaviour matching this path, as its answer; null when the server should behave. */
export function applyMisbehaviour(srv: Srv, req: Request, path: string): Response | null {
  const m = srv.s.misbehaviours.find((x) => (x.remaining === null || x.remaining > 0) && pathMatches(x.path, path));
  if (!m) return null;
  if (m.remaining !== null) {
    m.remaining--;
    srv.s.misbehaviours = srv.s.misbehaviours.filter((x) => x.remaining === null || x.remaining > 0);
  }
  switch (m.mode) {
    case "huge":
      return huge(m.bytes ?? 64 * 1024 * 1024);
    case "slow-drip":
      return slowDrip(m.bytes ?? 1024 * 1024, m.intervalMs ?? 1000, req.signal);
    case "redirect":
      return new Response(null, { status: 302, headers: { location: m.location ?? "http://169.254.169.254/latest/meta-data/" } });
    case "redirect-loop": {
      const url = new URL(req.url);
      const hop = Number(url.searchParams.get("hop") ?? 0) + 1;
      url.searchParams.set("hop", String(hop));
      return new Response(null, { status: 302, headers: { location: `${url.pathname}${url.search}` } });
    }
  }
}
