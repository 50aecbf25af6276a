import { handleControl } from "./control-http";
import { createControl, type BlueskySandboxControl } from "./controls";
import { jsonResponse } from "./errors";
import { METHODS } from "./methods";
import { image } from "./profile";
import { createState, HOUR, nextSeq, now, stateSchema, type BlueskyState, type Runtime } from "./state";
import { dispatch } from "./xrpc";

/** createBlueskySandbox: one fetch handler playing a Bluesky PDS / entryway (see docs/sandbox.md). */

export type BlueskySandboxOptions = {
  /** Path prefix the host strips, e.g. "/sandbox/bluesky"; emitted URLs include it. */
  basePath?: string;
  /** Base time source; the virtual clock adds its offset to it. */
  now?: () => number;
  /** HTTP /_control/* endpoints; false → every control answers 403. */
  controls?: boolean;
  /** How long a rotated refresh token still works (default 2 h; 0 = strict single use). */
  refreshGraceMs?: number;
  /** Kill live access tokens when their login is revoked (default false: they live until exp, as on Bluesky). */
  killAccessOnRevoke?: boolean;
  /** Real delay of a failed login (default 350 ms, as the PDS; tests may set 0). */
  failedLoginDelayMs?: number;
  /** The `aud` of every token. */
  serviceDid?: string;
  /** Start from a state saved with exportState(). */
  state?: unknown;
};

export type BlueskySandbox = ((request: Request) => Promise<Response>) & {
  control: BlueskySandboxControl;
  basePath: string;
  /** The whole mutable state as plain JSON (a deep copy). */
  exportState(): BlueskyState;
  /** Replace the state with a saved one (validated). */
  importState(state: unknown): void;
};

export const DEFAULT_SERVICE_DID = "did:web:pds.bsky.sandbox";

function rememberSecrets(rt: Runtime): void {
  for (const a of Object.values(rt.s.accounts)) {
    rt.secrets.add(a.password);
    for (const p of a.appPasswords) rt.secrets.add(p.password);
  }
}

export function createBlueskySandbox(options: BlueskySandboxOptions = {}): BlueskySandbox {
  const baseNow = options.now ?? Date.now;
  const settings = {
    refreshGraceMs: options.refreshGraceMs ?? 2 * HOUR,
    killAccessOnRevoke: options.killAccessOnRevoke ?? false,
    failedLoginDelayMs: options.failedLoginDelayMs ?? 350,
  };
  const rt: Runtime = {
    s: options.state === undefined ? createState(settings, baseNow()) : stateSchema.parse(options.state),
    baseNow,
    basePath: (options.basePath ?? "").replace(/\/+$/, ""),
    serviceDid: options.serviceDid ?? DEFAULT_SERVICE_DID,
    controlsEnabled: options.controls ?? true,
    secrets: new Set(),
  };
  rememberSecrets(rt);
  const control = createControl(rt);

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    let path = url.pathname;
    if (rt.basePath) {
      if (path !== rt.basePath && !path.startsWith(`${rt.basePath}/`)) return jsonResponse({ error: "NotFound", message: "Not a sandbox path" }, 404);
      path = path.slice(rt.basePath.length) || "/";
    }
    const base = `${url.origin}${rt.basePath}`;
    if (path === "/_control" || path.startsWith("/_control/")) {
      const res = await handleControl(rt, control, request, path);
      if (request.method !== "GET") rt.s.controlLog.push({ seq: nextSeq(rt), at: now(rt), action: `http ${request.method} ${path}`, detail: { status: res.status } });
      return res;
    }
    const xrpc = /^\/xrpc\/([^/]+)\/?$/.exec(path);
    if (xrpc?.[1]) return dispatch(rt, METHODS, request, decodeURIComponent(xrpc[1]), base);
    const img = /^\/img\/(avatar|banner)\/plain\/([^/]+)\/[a-z0-9]+@svg$/.exec(path);
    if (img?.[1] && img[2]) return image(rt, img[1], decodeURIComponent(img[2]));
    if (path === "/") return new Response("This is an AT Protocol Personal Data Server (Linkboard sandbox).\n", { headers: { "content-type": "text/plain; charset=utf-8" } });
    return jsonResponse({ error: "NotFound", message: "Not Found" }, 404);
  }

  return Object.assign(handle, {
    control,
    basePath: rt.basePath,
    exportState: () => structuredClone(rt.s),
    importState(state: unknown) {
      rt.s = stateSchema.parse(structuredClone(state));
      rememberSecrets(rt);
    },
  });
}
