import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MetaSandbox } from "@/emulators/meta";
import { listen, type Listening } from "@/emulators/node-adapter";
import type { Db } from "@/server/db";
import { jsonRequest, useAppEnv } from "@kit/app-env";
import { FlowBrowser, linkFacebook } from "@kit/auth-flow";
import { createTestDatabase, type TestDatabase } from "@kit/db";
import { PRODUCTION_CONFIG, PRODUCTION_CONFIG_NAMES } from "@kit/production-config";

/**
 * "Reset sandbox" through its route, against the sandbox the app mounts under /sandbox/meta (the
 * real route module, served over HTTP): development only, never when sandbox mode is off, never
 * cross-site; afterwards the sandbox has forgotten the linked token and the connection says so.
 */
let database: TestDatabase;
let dataDir: string;
let server: Listening;
let prisma: Db;
let env: Record<string, string>;
let routes: { GET: (r: never) => Promise<Response>; POST: (r: never) => Promise<Response> };
let reset: { POST: (r: Request) => Promise<Response> };

const mount = () => import("@/server/sandbox/mount");
const meta = async () => (await (await mount()).mountedEmulator("meta"))!;
const metaSandbox = async () => (await meta()).instance as MetaSandbox;
/** Re-reads the configuration with some variables changed (the env is parsed once per process). */
const applyAppEnv = useAppEnv;
async function reconfigure(overrides: Record<string, string>) {
  // A new configuration mounts a new sandbox: let go of the old one's snapshot first.
  await (globalThis as { __linkboardSandbox?: { store: { close(): Promise<void> } } }).__linkboardSandbox?.store.close();
  applyAppEnv(database.url, { ...env, ...overrides });
}
const snapshot = () => path.join(dataDir, "sandboxes", "meta.json");

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(path.join(tmpdir(), "linkboard-sandbox-reset-"));
  const sandboxRoute = await import("@/app/sandbox/[provider]/[[...path]]/route");
  // GET, POST and DELETE are one handler.
  server = await listen((request) => sandboxRoute.GET(request, { params: Promise.resolve({ provider: "meta" }) }));
  const base = `${server.url}/sandbox/meta`;
  env = { META_SANDBOX: "1", DATA_DIR: dataDir, META_GRAPH_URL: base, META_WEB_URL: base };
  await reconfigure({});
  // Keep the secrets when the configuration is re-read: stored tokens must stay readable.
  env = { ...env, AUTH_SECRET: process.env.AUTH_SECRET!, ENCRYPTION_KEYS: process.env.ENCRYPTION_KEYS! };
  routes = (await import("@/app/api/auth/[...nextauth]/route")) as unknown as typeof routes;
  reset = await import("@/app/api/sandbox/reset/route");
  prisma = (await import("@/server/db")).db();
});
afterAll(async () => {
  await (await mount()).closeMountedEmulators();
  await server?.close();
  await prisma?.$disconnect();
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function linkedUser(email: string) {
  const { registerUser } = await import("@/server/users/register-user");
  const { id } = await registerUser(prisma, { email, password: "long enough pw" });
  const browser = new FlowBrowser(routes as never);
  await browser.signInWithPassword(email, "long enough pw");
  expect((await linkFacebook(browser, `${server.url}/sandbox/meta`)).landing).toBe("/settings/connections?linked=facebook");
  return id;
}

describe("POST /api/sandbox/reset", () => {
  it("refuses cross-site requests, production servers and sandbox-off servers, and forgets nothing then", async () => {
    const sandbox = await metaSandbox();
    const token = sandbox.control.issueToken({ persona: "empty" }).accessToken;
    const cross = await reset.POST(jsonRequest("/api/sandbox/reset", {}, { origin: "https://evil.example" }));
    expect(cross.status).toBe(403);
    expect(await cross.json()).toMatchObject({ error: { code: "FORBIDDEN", message: "Cross-site requests are not allowed." } });
    try {
      // A production server never runs the sandbox (start-up refuses it), so there is nothing to reset.
      await reconfigure(PRODUCTION_CONFIG);
      const production = await reset.POST(jsonRequest("/api/sandbox/reset", {}, { origin: "https://linkboard.example" }));
      expect(production.status).toBe(404);
      expect(await production.json()).toMatchObject({ error: { code: "NOT_FOUND", message: "Sandbox mode is off." } });
      Object.assign(process.env, { NODE_ENV: "test" });
      await reconfigure({ META_SANDBOX: "0", META_APP_ID: "1000000000000001", META_APP_SECRET: "not-the-sandbox" });
      const off = await reset.POST(jsonRequest("/api/sandbox/reset", {}));
      expect(off.status).toBe(404);
      expect(await off.json()).toMatchObject({ error: { code: "NOT_FOUND", message: "Sandbox mode is off." } });
    } finally {
      for (const name of PRODUCTION_CONFIG_NAMES) delete process.env[name];
      Object.assign(process.env, { NODE_ENV: "test" });
      await reconfigure({});
    }
    expect(sandbox.control.tokenId(token)).not.toBeNull();
  });

  it("forgets the sandbox's world and its snapshot; the linked connection then needs a re-link", async () => {
    (await metaSandbox()).control.setDialogBehaviour("solo", "approve");
    const userId = await linkedUser("sam@example.com");
    const { getMetaStatus } = await import("@/server/integrations/facebook/get-meta-status");
    expect((await getMetaStatus(prisma, userId)).status).toBe("connected");
    await (await meta()).flush();
    expect(existsSync(snapshot())).toBe(true);

    const { peerStamp } = await import("@/server/http/client-address");
    const remote = await reset.POST(jsonRequest("/api/sandbox/reset", {}, { "x-linkboard-peer": peerStamp("192.0.2.7") }));
    expect(remote.status).toBe(403);
    expect(await remote.json()).toMatchObject({ error: { code: "FORBIDDEN", message: "Sandbox controls answer only in development, and only on this machine." } });
    expect(existsSync(snapshot())).toBe(true);

    const response = await reset.POST(jsonRequest("/api/sandbox/reset", {}, { "x-linkboard-peer": peerStamp("127.0.0.1") }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ reset: ["meta"], checked: 1, needsRelink: 1 });
    expect(existsSync(snapshot())).toBe(false);
    const after = await getMetaStatus(prisma, userId);
    expect(after.status).toBe("needs_relink");
    expect(after.connections).toMatchObject([{ status: "needs_relink", lastError: { code: "190" } }]);
    // The dialog forgot its scripted answer and the grant: it asks again.
    const query = new URLSearchParams({ client_id: "1000000000000001", redirect_uri: "http://localhost:3000/api/auth/callback/facebook", scope: "ads_read" });
    const dialog = await fetch(`${server.url}/sandbox/meta/v25.0/dialog/oauth?${query}`, { redirect: "manual" });
    expect(dialog.status).toBe(200);
    expect(await dialog.text()).toContain('name="persona"');
  });
});
