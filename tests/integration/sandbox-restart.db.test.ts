import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_APP, type RequestLogEntry } from "@/emulators/meta";
import type { Db } from "@/server/db";
import { useAppEnv } from "@kit/app-env";
import { APP, FlowBrowser, linkFacebook } from "@kit/auth-flow";
import { freePort } from "@kit/free-port";
import { startSandboxProcess, type SandboxProcess } from "@kit/sandbox-process";
import { createTestDatabase, type TestDatabase } from "@kit/db";

/**
 * A real restart: the sandbox runs as its own process (`npm run sandbox`), Linkboard links through
 * it with the real Auth.js handlers, the process is stopped and started again on the same data
 * directory, and the stored token still works. Started with --reset, it no longer knows the token
 * and the connection shows as needing a re-link.
 */
let database: TestDatabase;
let dataDir: string;
let port: number;
let sandbox: SandboxProcess | undefined;
let prisma: Db;
let routes: { GET: (r: never) => Promise<Response>; POST: (r: never) => Promise<Response> };

const start = async (...extra: string[]) => {
  sandbox = await startSandboxProcess(["--port", String(port), "--data-dir", dataDir, "--redirect-uri", `${APP}/api/auth/callback/facebook`, ...extra]);
  return sandbox;
};
const control = async (method: "GET" | "POST", route: string, body?: unknown) => {
  const response = await fetch(`${sandbox!.url}/_control/${route}`, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  return (await response.json()) as { data: RequestLogEntry[] };
};
/** Graph reads the app made (the token exchange aside), as the sandbox logged them. */
const graphReads = async () => (await control("GET", "requests")).data.filter((e) => e.tokenId !== null && !e.path.endsWith("/oauth/access_token"));

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(path.join(tmpdir(), "linkboard-sandbox-restart-"));
  port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  useAppEnv(database.url, { META_APP_ID: DEFAULT_APP.appId, META_APP_SECRET: DEFAULT_APP.appSecret, META_GRAPH_URL: url, META_WEB_URL: url });
  routes = (await import("@/app/api/auth/[...nextauth]/route")) as unknown as typeof routes;
  prisma = (await import("@/server/db")).db();
});
afterAll(async () => {
  await sandbox?.stop();
  await prisma?.$disconnect();
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the sandbox across a restart of its process", () => {
  it("keeps a linked connection working; --reset forgets it and the connection needs a re-link", async () => {
    const { registerUser } = await import("@/server/users/register-user");
    const { getMetaStatus } = await import("@/server/integrations/facebook/get-meta-status");
    const { syncAdAccounts } = await import("@/server/ad-accounts/sync-ad-accounts");
    const { id: userId } = await registerUser(prisma, { email: "sam@example.com", password: "long enough pw" });

    await start();
    await control("POST", "dialog", { persona: "solo", behaviour: "approve" });
    const browser = new FlowBrowser(routes as never);
    await browser.signInWithPassword("sam@example.com", "long enough pw");
    expect((await linkFacebook(browser, sandbox!.url)).landing).toBe("/settings/connections?linked=facebook");
    const linked = await getMetaStatus(prisma, userId);
    expect(linked.connections).toMatchObject([{ status: "connected", name: "Sam Solo" }]);
    const connectionId = linked.connections[0]!.id;
    const storedTokenId = (await graphReads()).at(-1)!.tokenId;
    expect(storedTokenId).toMatch(/^tok_\d+$/);

    expect(await sandbox!.stop()).toBe(0);
    await start();
    expect(sandbox!.output.join("\n")).toContain("(loaded: tokens, grants and the clock from the last run)");
    expect((await getMetaStatus(prisma, userId)).status).toBe("connected");
    expect(await syncAdAccounts(prisma, userId, { connectionId })).toMatchObject({ adAccountCount: 1 });
    // The sync reached the restarted sandbox with the stored token, which it still knows.
    const reads = await graphReads();
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((e) => e.status === 200 && e.tokenId === storedTokenId)).toBe(true);

    expect(await sandbox!.stop()).toBe(0);
    await start("--reset");
    expect(sandbox!.output.join("\n")).toContain("(reset: forgot every token and code it issued");
    await expect(syncAdAccounts(prisma, userId, { connectionId })).rejects.toThrow("Reconnect");
    const after = await getMetaStatus(prisma, userId);
    expect(after.status).toBe("needs_relink");
    expect(after.connections).toMatchObject([{ status: "needs_relink", lastError: { code: "190", message: expect.stringContaining("Cannot parse access token") } }]);
  });
});
