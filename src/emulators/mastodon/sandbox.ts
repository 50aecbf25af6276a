import { handleServerControl } from "./control-http";
import { serverControl, type MastodonSandboxControl } from "./controls";
import { DEFAULT_SERVERS, seedServer, type MastodonServerConfig } from "./personas";
import { json } from "./responses";
import { handleServer } from "./router";
import { nextSeq, stateSchema, type MastodonState, type Srv } from "./state";

/**
 * createMastodonSandbox: several independent Mastodon servers in one handler. Each server is its
 * own instance: served on its own port (`serve(id)`, what the app and tests use — each gets its
 * own origin) or under `{basePath}/{id}` of a shared origin.
 */

export type MastodonSandboxOptions = {
  /** The servers to play (default: mastodon 4.4.3, legacy 4.2.10, glitch 4.3.2+glitch). */
  servers?: MastodonServerConfig[];
  /** Path prefix the host strips for the shared-origin form, e.g. "/sandbox/mastodon". */
  basePath?: string;
  /** Base time source; each server's virtual clock adds its own offset. */
  now?: () => number;
  /** HTTP /_control/* endpoints; false → every control answers 403. */
  controls?: boolean;
  /** Start from a state saved with exportState(). */
  state?: unknown;
};

export type MastodonSandbox = ((request: Request) => Promise<Response>) & {
  control: MastodonSandboxControl;
  basePath: string;
  serverIds: string[];
  /** One server as the root of its own origin (paths like /api/v1/instance). */
  serve(serverId: string): (request: Request) => Promise<Response>;
  /** The whole mutable state (every server) as plain JSON (a deep copy). */
  exportState(): MastodonState;
  /** Replace the state with a saved one (validated). */
  importState(state: unknown): void;
};

export function createMastodonSandbox(options: MastodonSandboxOptions = {}): MastodonSandbox {
  const baseNow = options.now ?? Date.now;
  const basePath = (options.basePath ?? "").replace(/\/+$/, "");
  const controlsEnabled = options.controls ?? true;
  const secrets = new Set<string>();
  let root: MastodonState;
  if (options.state !== undefined) {
    root = stateSchema.parse(options.state);
  } else {
    const configs = options.servers ?? DEFAULT_SERVERS;
    root = { version: 1, seq: 0, servers: Object.fromEntries(configs.map((c) => [c.id, seedServer(c, baseNow())])), requestLog: [], controlLog: [] };
  }
  const remember = () => {
    for (const srv of Object.values(root.servers)) {
      for (const a of Object.values(srv.apps)) secrets.add(a.clientId).add(a.clientSecret);
      for (const t of Object.keys(srv.tokens)) secrets.add(t);
      for (const c of Object.keys(srv.codes)) secrets.add(c);
    }
  };
  remember();

  const srvFor = (id: string): Srv => {
    const s = root.servers[id];
    if (!s) throw new Error(`unknown server "${id}"`);
    return { root, s, baseNow, secrets };
  };

  const control: MastodonSandboxControl = {
    servers: () => Object.values(root.servers).map((s) => ({ id: s.id, domain: s.domain, title: s.title, version: s.version })),
    server: (id) => serverControl(srvFor(id)),
    advanceClock(ms) {
      for (const id of Object.keys(root.servers)) serverControl(srvFor(id)).advanceClock(ms);
    },
    requestLog: (server) => root.requestLog.filter((e) => !server || e.server === server),
    clearRequestLog() {
      root.requestLog = [];
    },
    controlLog: () => [...root.controlLog],
    secrets: () => [...secrets],
  };

  async function handleIn(id: string, request: Request, path: string, base: string, cookiePath: string): Promise<Response> {
    const srv = srvFor(id);
    if (path === "/_control" || path.startsWith("/_control/")) {
      if (!controlsEnabled) return json({ error: "Sandbox controls are disabled" }, 403);
      const res = await handleServerControl(control, serverControl(srv), request, path);
      if (request.method !== "GET") root.controlLog.push({ seq: nextSeq(root), at: baseNow(), server: id, action: `http ${request.method} ${path}`, detail: { status: res.status } });
      return res;
    }
    return handleServer(srv, request, path, { base, cookiePath });
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    let path = url.pathname;
    if (basePath) {
      if (path !== basePath && !path.startsWith(`${basePath}/`)) return json({ error: "Not a sandbox path" }, 404);
      path = path.slice(basePath.length) || "/";
    }
    if (path === "/_control/servers" || path === "/") {
      if (path === "/_control/servers" && !controlsEnabled) return json({ error: "Sandbox controls are disabled" }, 403);
      return json({ data: control.servers().map((s) => ({ ...s, url: `${url.origin}${basePath}/${s.id}` })) });
    }
    const m = /^\/([^/]+)(\/.*)?$/.exec(path);
    const id = m?.[1];
    if (!id || !root.servers[id]) return json({ error: "No such sandbox server" }, 404);
    const prefix = `${basePath}/${id}`;
    return handleIn(id, request, m?.[2] || "/", `${url.origin}${prefix}`, prefix);
  }

  return Object.assign(handle, {
    control,
    basePath,
    get serverIds() {
      return Object.keys(root.servers);
    },
    serve: (id: string) => {
      srvFor(id);
      return (request: Request) => handleIn(id, request, new URL(request.url).pathname, new URL(request.url).origin, "/");
    },
    exportState: () => structuredClone(root),
    importState(state: unknown) {
      root = stateSchema.parse(structuredClone(state));
      remember();
    },
  });
}
