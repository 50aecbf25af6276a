import { esc } from "../meta/dialog-html";
import { readBody, redactedQuery } from "../meta/http";
import { handleControl } from "./control-http";
import { createControl, type OAuth2Control } from "./controls";
import { handleDialog } from "./dialog";
import { delay, hang, takeFault } from "./faults";
import type { Profile, Route, RouteContext, Runtime } from "./profile";
import { json } from "./respond";
import { createState, pushBounded, stateSchema, toClientRecord, type OAuth2State } from "./state";
import type { OAuth2SandboxOptions, PersonaBase, ProviderId } from "./types";

/** createOAuth2Sandbox: one fetch handler playing a platform's dialog, token endpoint and profile API. */

export type OAuth2Sandbox = ((request: Request) => Promise<Response>) & {
  provider: ProviderId;
  /** "X", "LinkedIn", … */
  platform: string;
  /** Paths ("POST /2/oauth2/token") and lifetimes, for printing and docs. */
  describe: { endpoints: Record<string, string>; lifetimes: Record<string, string> };
  control: OAuth2Control;
  basePath: string;
  /** The apps this sandbox knows (id, secret, redirect URIs), for wiring tests and dev config. */
  clients: { clientId: string; clientSecret: string; redirectUris: string[] }[];
  /** Every piece of mutable state as one JSON value (tokens only as hashes). */
  exportState(): OAuth2State;
  /** Replace the state with a saved one; clients passed as options stay authoritative. */
  importState(state: unknown): void;
};

function routeMatches(r: Route<PersonaBase>, method: string, path: string): RegExpExecArray | null | false {
  const methods = Array.isArray(r.method) ? r.method : [r.method];
  if (!methods.includes(method as "GET")) return false;
  if (typeof r.path === "string") return r.path === path ? null : false;
  return r.path.exec(path) ?? false;
}

function avatar(rt: Runtime, id: string): Response {
  const p = rt.persona(id);
  if (!p) return json({ error: { message: "No such avatar" } }, 404);
  const initials = [...p.name.trim()].filter((ch) => /\p{L}|\p{N}/u.test(ch)).slice(0, 2).join("").toUpperCase() || "?";
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 100 100"><rect width="100" height="100" fill="${rt.profile.brandColor}"/><text x="50" y="62" font-size="36" text-anchor="middle" fill="#fff" font-family="sans-serif">${esc(initials)}</text></svg>`;
  return new Response(svg, { headers: { "content-type": "image/svg+xml", "cache-control": "public, max-age=3600" } });
}

export function createOAuth2Sandbox<P extends PersonaBase>(profile: Profile<P>, options: OAuth2SandboxOptions = {}): OAuth2Sandbox {
  const configured = (options.clients && options.clients.length > 0 ? options.clients : [profile.defaultClient]).map(toClientRecord);
  const basePath = (options.basePath ?? "").replace(/\/+$/, "");
  const baseNow = options.now ?? Date.now;
  const rt: Runtime<P> = {
    s: createState(profile.id),
    profile,
    basePath,
    controlsEnabled: options.controls ?? true,
    timeoutMs: options.timeoutMs ?? 10_000,
    now: () => baseNow() + rt.s.clockOffsetMs,
    persona(id) {
      const p = profile.personas.find((x) => x.id === id);
      const o = rt.s.personaOverrides[id];
      if (!p || !o) return p;
      const { name, ...stats } = o;
      return { ...p, name: name ?? p.name, stats: { ...p.stats, ...stats } };
    },
    client: (id) => (id ? rt.s.clients[id] : undefined),
    log(action, detail = {}) {
      pushBounded(rt.s.controlLog, { seq: ++rt.s.seq, at: rt.now(), action, detail });
    },
  };
  const applyClients = () => {
    for (const c of configured) rt.s.clients[c.clientId] = { ...c };
  };
  applyClients();
  const control = createControl(rt);
  const exportState = (): OAuth2State => JSON.parse(JSON.stringify(rt.s)) as OAuth2State;
  const importState = (state: unknown) => {
    const parsed = stateSchema.parse(state);
    if (parsed.provider !== profile.id) throw new Error(`State belongs to the ${parsed.provider} sandbox, not ${profile.id}`);
    rt.s = parsed;
    applyClients();
  };
  if (options.state !== undefined) importState(options.state);

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    let path = url.pathname;
    if (basePath) {
      if (path !== basePath && !path.startsWith(`${basePath}/`)) return json({ error: { message: "Not a sandbox path" } }, 404);
      path = path.slice(basePath.length) || "/";
    }
    const base = `${url.origin}${basePath}`;
    if (path === "/_control" || path.startsWith("/_control/")) {
      const res = await handleControl(rt, control, request, path, base, exportState);
      rt.log(`http ${request.method} ${path}`, { status: res.status });
      return res;
    }
    const avatarMatch = /^\/_assets\/avatar\/([a-z0-9-]+)(?:_[a-z0-9]+)?\.svg$/.exec(path);
    if (avatarMatch?.[1]) return avatar(rt, avatarMatch[1]);
    if (request.method === "OPTIONS") {
      return new Response(null, { status: 204, headers: { "access-control-allow-origin": "*", "access-control-allow-headers": "authorization, content-type" } });
    }
    let tokenId: string | null = null;
    let res: Response;
    if (profile.dialog.paths.includes(path)) {
      res = await handleDialog(rt, request, url, `${base}${path}`);
    } else {
      res = await dispatch(request, url, path, base, (id) => (tokenId = id));
    }
    pushBounded(rt.s.requestLog, { seq: ++rt.s.seq, at: rt.now(), method: request.method, path, query: redactedQuery(url), tokenId, status: res.status });
    return res;
  }

  async function dispatch(request: Request, url: URL, path: string, base: string, noteToken: (id: string | null) => void): Promise<Response> {
    let route: Route<P> | undefined;
    let match: RegExpExecArray | null = null;
    for (const r of profile.routes) {
      const m = routeMatches(r, request.method, path);
      if (m !== false) {
        [route, match] = [r, m];
        break;
      }
    }
    if (!route) return json({ error: { message: `Unknown path ${request.method} ${path}` } }, 404);
    const query = Object.fromEntries(url.searchParams);
    const body = await readBody(request);
    const params = { ...body, ...query };
    const op = route.kind === "token" ? (/refresh/.test(params.grant_type ?? "") ? "refresh" : "exchange") : null;
    const fault = takeFault(rt, { route: route.kind, op, path });
    if (fault) {
      rt.log("fault", { kind: fault.kind, path });
      if (fault.latencyMs) await delay(fault.latencyMs);
      if (fault.kind === "timeout") {
        await hang(request.signal, rt.timeoutMs);
        return json({ error: { message: "Gateway timeout (sandbox)" } }, 504);
      }
      if (fault.kind !== "invalid_grant") return profile.faultResponse(fault.kind, route.kind, rt);
    }
    const ctx: RouteContext<P> = { rt, request, url, path, base, query, body, params, match, noteToken };
    return route.handle(ctx);
  }

  return Object.assign(handle, {
    provider: profile.id,
    platform: profile.platform,
    describe: profile.describe,
    control,
    basePath,
    clients: configured.map((c) => ({ clientId: c.clientId, clientSecret: c.clientSecret, redirectUris: [...c.redirectUris] })),
    exportState,
    importState,
  });
}
