import { handleControl } from "./control-http";
import { createControl, type MetaSandboxControl } from "./controls";
import { dialogGet, dialogPost } from "./dialog";
import { esc } from "./dialog-html";
import { jsonResponse, JSON_TYPE, fbtraceId } from "./errors";
import { delay } from "./faults";
import { executeGraph } from "./graph";
import { parseGraphRequest, readBody, redactedQuery, splitVersion } from "./http";
import { configuredModes, createState, findPersona, nextSeq, now, type SandboxState } from "./state";
import type { SandboxOptions } from "./types";
import { worldFromSnapshot, type MetaSnapshot } from "./world";

/** createMetaSandbox: one fetch handler playing facebook.com's dialog and graph.facebook.com. */

export type MetaSandbox = ((request: Request) => Promise<Response>) & {
  control: MetaSandboxControl;
  basePath: string;
  /** The apps this sandbox knows (id, secret, redirect URIs) — for wiring tests and dev config. */
  apps: { appId: string; appSecret: string; redirectUris: string[] }[];
  /** Everything the sandbox remembers, as plain JSON (serialize it before the next call). */
  exportState(): MetaSnapshot;
  /** Replaces what the sandbox remembers; throws when `state` is not a snapshot of this sandbox. */
  importState(state: unknown): void;
  /** Bumped whenever the exported shape changes incompatibly. */
  stateVersion: number;
};

export const META_STATE_VERSION = 1;

function logRequest(s: SandboxState, method: string, url: URL, path: string, tokenId: string | null, status: number, batchSize?: number) {
  const entry = { seq: nextSeq(s), at: now(s), method, path, query: redactedQuery(url), tokenId, status, ...(batchSize !== undefined ? { batchSize } : {}) };
  s.requestLog.push(entry);
  // Bounded so a long-running dev server does not grow without limit.
  if (s.requestLog.length > 10_000) s.requestLog.splice(0, s.requestLog.length - 10_000);
}

function avatar(s: SandboxState, id: string): Response {
  const p = findPersona(s, id);
  const initials = p ? `${p.firstName[0] ?? ""}${p.lastName[0] ?? ""}` : "?";
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="50" height="50"><rect width="50" height="50" fill="#1877f2"/><text x="25" y="32" font-size="20" text-anchor="middle" fill="#fff" font-family="sans-serif">${esc(initials)}</text></svg>`;
  return new Response(svg, { headers: { "content-type": "image/svg+xml", "cache-control": "public, max-age=3600" } });
}

export function createMetaSandbox(options: SandboxOptions = {}): MetaSandbox {
  const s = createState(options);
  const control = createControl(s, { callbackOrigins: options.callbackOrigins });

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    let path = url.pathname;
    if (s.basePath) {
      if (path !== s.basePath && !path.startsWith(`${s.basePath}/`)) return jsonResponse({ error: { message: "Not a sandbox path" } }, 404);
      path = path.slice(s.basePath.length) || "/";
    }
    const base = `${url.origin}${s.basePath}`;
    if (path === "/_control" || path.startsWith("/_control/")) {
      const res = await handleControl(s, control, request, path);
      s.controlLog.push({ seq: nextSeq(s), at: now(s), action: `http ${request.method} ${path}`, detail: { status: res.status } });
      return res;
    }
    const avatarMatch = /^\/_assets\/avatar\/([a-z0-9_-]+)\.svg$/.exec(path);
    if (avatarMatch?.[1]) return avatar(s, avatarMatch[1]);
    const { version, rest } = splitVersion(path);
    if (rest === "/dialog/oauth" || rest === "/dialog/oauth/") {
      const action = `${base}${version ? `/${version}` : ""}/dialog/oauth`;
      const cookiePath = s.basePath || "/";
      let res: Response;
      if (request.method === "POST") {
        const form = await readBody(request.clone());
        const all = new URLSearchParams(await request.text());
        res = dialogPost(s, form, all, request.headers, action, cookiePath);
      } else {
        const q: Record<string, string> = {};
        for (const [k, v] of url.searchParams) q[k] = v;
        res = dialogGet(s, q, request.headers, action, cookiePath);
      }
      logRequest(s, request.method, url, path, null, res.status);
      return res;
    }
    if (request.method === "OPTIONS") {
      return new Response(null, { status: 204, headers: { "access-control-allow-origin": "*", "access-control-allow-headers": "authorization, content-type" } });
    }
    const req = await parseGraphRequest(request, path, base);
    if (s.latency > 0) await delay(s.latency);
    const out = await executeGraph(s, req);
    const batchSize = req.segments.length === 0 && req.params.batch !== undefined && Array.isArray(out.body) ? out.body.length : undefined;
    logRequest(s, req.method, url, path, out.tokenId, out.status, batchSize);
    return new Response(JSON.stringify(out.body), {
      status: out.status,
      headers: {
        "content-type": JSON_TYPE,
        "cache-control": "private, no-cache, no-store, must-revalidate",
        "access-control-allow-origin": "*",
        "facebook-api-version": req.version ?? s.defaultVersion,
        "x-fb-trace-id": fbtraceId(),
        "x-fb-rev": "1000000001",
        ...out.headers,
      },
    });
  }

  return Object.assign(handle, {
    control,
    basePath: s.basePath,
    apps: [...s.apps.values()].map((a) => ({ appId: a.appId, appSecret: a.appSecret, redirectUris: [...a.redirectUris] })),
    exportState: (): MetaSnapshot => ({ seed: s.seed, world: s.world }),
    importState(state: unknown) {
      s.world = worldFromSnapshot(state, { seed: s.seed, appModes: configuredModes(s.apps.values()) });
    },
    stateVersion: META_STATE_VERSION,
  });
}
