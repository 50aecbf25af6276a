import { channel } from "node:diagnostics_channel";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SANDBOX_APP } from "@/env";
import { verifySignedRequest } from "@/server/meta-callbacks/verify-signed-request";
import { useAppEnv } from "../helpers/app-env";
import { externalAddress, serveRoutes, type HttpApp, type RouteTable } from "../helpers/http-app";

// The in-app Meta sandbox (/sandbox/meta) over real sockets: who may use its controls, which
// secret it holds, and where it may send callbacks.
const routes: RouteTable = {};
const delivered: string[] = [];
let app: HttpApp;
let internal: Server;
let internalUrl: string;
const internalHits: string[] = [];
let external: string | null;
const savedNodeEnv = process.env.NODE_ENV;

function useSandboxEnv(nodeEnv: string) {
  useAppEnv("", { NODE_ENV: nodeEnv, AUTH_URL: app.url, META_SANDBOX: "1", META_APP_ID: "123456", META_APP_SECRET: "the-real-app-secret" });
}

beforeAll(async () => {
  app = await serveRoutes(routes, { host: "0.0.0.0" });
  // Another service on this machine that the sandbox must never be made to call.
  internal = createServer((req, res) => {
    internalHits.push(`${req.method} ${req.url}`);
    res.end("internal");
  });
  await new Promise<void>((resolve) => internal.listen(0, "127.0.0.1", resolve));
  internalUrl = `http://127.0.0.1:${(internal.address() as AddressInfo).port}`;
  external = await externalAddress();
  useSandboxEnv("development");
  const sandboxRoute = await import("@/app/sandbox/meta/[[...path]]/route");
  routes["/sandbox/meta"] = { GET: sandboxRoute.GET, POST: sandboxRoute.POST };
  routes["/api/meta/deauthorize"] = {
    POST: async (request) => {
      delivered.push(await request.text());
      return Response.json({ ok: true });
    },
  };
});
beforeEach(() => useSandboxEnv("development"));
afterAll(async () => {
  Object.assign(process.env, { NODE_ENV: savedNodeEnv });
  await app.close();
  await new Promise<void>((resolve) => internal.close(() => resolve()));
});

const control = (base: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/sandbox/meta/_control/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe("in-app sandbox controls", () => {
  it("answer a loopback client in development", async () => {
    const response = await control(app.url, "personas");
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: unknown[] }).data.length).toBeGreaterThan(3);
  });

  it("refuse a client on another address, whatever headers it sends; the dialog is still served", async (ctx) => {
    if (!external) return ctx.skip();
    const remote = `http://${external}:${app.port}`;
    const forged = { "x-forwarded-for": "127.0.0.1", "x-real-ip": "127.0.0.1", "x-linkboard-peer": "guess 127.0.0.1", host: "localhost" };
    for (const [path, body] of [["personas", undefined], ["clock", { advanceDays: 90 }], ["signed-request", { persona: "solo", kind: "data_deletion" }]] as const) {
      const response = await control(remote, path, body, forged);
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ error: { code: "FORBIDDEN", message: expect.stringContaining("only in development"), hint: expect.any(String) } });
    }
    const dialog = await fetch(`${remote}/sandbox/meta/v25.0/dialog/oauth?client_id=${SANDBOX_APP.appId}&redirect_uri=${encodeURIComponent(`${app.url}/api/auth/callback/facebook`)}&state=s`);
    expect(dialog.status).toBe(200);
  });

  it("judge the stamped TCP peer, not a header: a request Node parsed from 203.0.113.7 is refused", async () => {
    const { GET } = await import("@/app/sandbox/meta/[[...path]]/route");
    const as = (remoteAddress: string) => {
      const request = { headers: { "x-forwarded-for": "127.0.0.1", "x-linkboard-peer": "forged 127.0.0.1" } as Record<string, string> };
      channel("http.server.request.start").publish({ request, socket: { remoteAddress } });
      return GET(new Request(`${app.url}/sandbox/meta/_control/personas`, { headers: request.headers }));
    };
    expect((await as("203.0.113.7")).status).toBe(403);
    expect((await as("::ffff:127.0.0.1")).status).toBe(200);
    // Built in process, with no stamp at all: refused.
    expect((await GET(new Request(`${app.url}/sandbox/meta/_control/personas`))).status).toBe(403);
  });

  it("are refused outside development, even from loopback", async () => {
    useSandboxEnv("test");
    expect((await control(app.url, "personas")).status).toBe(403);
    expect((await fetch(`${app.url}/sandbox/meta/v25.0/me`)).status).toBe(400); // the Graph stand-in still answers
  });
});

describe("in-app sandbox secrets and callbacks", () => {
  it("never holds the configured app secret", async () => {
    const { mountedSandbox } = await import("@/server/integrations/facebook/sandbox-mount");
    expect(mountedSandbox()!.apps.map((a) => a.appSecret)).toEqual([SANDBOX_APP.appSecret]);
    const { signed_request } = (await (await control(app.url, "signed-request", { persona: "solo", kind: "data_deletion" })).json()) as { signed_request: string };
    expect(() => verifySignedRequest(signed_request, { appSecret: "the-real-app-secret", now: new Date(), maxAgeSeconds: 3600 })).toThrow(/signature does not match/);
  });

  it("delivers callbacks to AUTH_URL only, never to another service", async () => {
    for (const url of [`${internalUrl}/admin`, "http://169.254.169.254/latest/meta-data/"]) {
      const response = await control(app.url, "callbacks/deauthorize", { url, persona: "solo" });
      expect(response.status).toBe(403);
      expect((await control(app.url, "webhooks/verify", { url, verifyToken: "x" })).status).toBe(403);
    }
    expect(internalHits).toEqual([]);
    const ok = await control(app.url, "callbacks/deauthorize", { url: `${app.url}/api/meta/deauthorize`, persona: "solo" });
    expect(ok.status).toBe(200);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatch(/^signed_request=/);
  });
});
