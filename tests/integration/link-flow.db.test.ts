import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import pg from "pg";
import { DEFAULT_APP } from "@/emulators/meta";
import { startSandboxServer, type SandboxServer } from "@/emulators/meta/server";
import { parseKeyRing, seal } from "@/server/crypto";
import { parseDatabaseUrl } from "@/server/db/client";
import type { Db } from "@/server/db";
import { createTestDatabase, type TestDatabase } from "../helpers/test-db";
import { useAppEnv } from "../helpers/app-env";
import { APP, FlowBrowser, follow, linkFacebook as linkThroughDialog, pathOf } from "../helpers/auth-flow";

// The real Auth.js handlers (in process) against the Meta sandbox over HTTP.
let database: TestDatabase;
let sandbox: SandboxServer;
let routes: { GET: (r: never) => Promise<Response>; POST: (r: never) => Promise<Response> };
let prisma: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  sandbox = await startSandboxServer({ port: 0, apps: [{ ...DEFAULT_APP, redirectUris: [`${APP}/api/auth/callback/facebook`] }] });
  useAppEnv(database.url, {
    META_APP_ID: DEFAULT_APP.appId,
    META_APP_SECRET: DEFAULT_APP.appSecret,
    META_GRAPH_URL: sandbox.url,
    META_WEB_URL: sandbox.url,
  });
  routes = (await import("@/app/api/auth/[...nextauth]/route")) as unknown as typeof routes;
  prisma = (await import("@/server/db")).db();
  const { registerUser } = await import("@/server/users/register-user");
  for (const email of ["ann@example.com", "bob@example.com"]) await registerUser(prisma, { email, password: "long enough pw" });
});
afterAll(async () => {
  await prisma.$disconnect();
  await sandbox.close();
  await database.close();
});
beforeEach(() => {
  sandbox.sandbox.control.setDialogBehaviour("solo", "approve");
});

async function signedIn(email: string) {
  const browser = new FlowBrowser(routes as never);
  await browser.signInWithPassword(email, "long enough pw");
  expect(browser.hasSession()).toBe(true);
  return browser;
}

/** Link → dialog (driven by the sandbox's dialog behaviour) → callback. Returns where the user lands. */
const linkFacebook = (browser: FlowBrowser, tamper?: (callbackUrl: URL) => void) => linkThroughDialog(browser, sandbox.url, tamper);

async function rowsFor(email: string) {
  const user = await prisma.user.findUniqueOrThrow({ where: { email } });
  const accounts = await prisma.account.findMany({ where: { userId: user.id } });
  const connections = await prisma.metaConnection.findMany({ where: { userId: user.id } });
  const adAccounts = await prisma.metaAdAccount.count({ where: { userId: user.id } });
  return { user, accounts, connections, adAccounts };
}

async function rawAccessTokens(): Promise<string[]> {
  const client = new pg.Client({ connectionString: parseDatabaseUrl(database.url).connectionString });
  await client.connect();
  try {
    return (await client.query<{ access_token: string }>("SELECT access_token FROM accounts")).rows.map((r) => r.access_token);
  } finally {
    await client.end();
  }
}

describe("Link Facebook through Auth.js", () => {
  it("links the signed-in user, stores a long-lived token encrypted, and lands on settings", async () => {
    const browser = await signedIn("ann@example.com");
    const result = await linkFacebook(browser);
    expect(result).toEqual({ status: 302, landing: "/settings/connections?linked=facebook" });
    const { accounts, connections, adAccounts } = await rowsFor("ann@example.com");
    expect(accounts).toHaveLength(1);
    expect(accounts[0]!.providerAccountId).toBe(sandbox.sandbox.control.userId("solo"));
    expect(connections[0]).toMatchObject({ status: "connected", name: "Sam Solo" });
    expect(adAccounts).toBe(1);
    // The stored token is the long-lived one (about 60 days), and only ciphertext is in the table.
    expect(connections[0]!.tokenExpiresAt!.getTime() - Date.now()).toBeGreaterThan(50 * 86_400_000);
    const raw = await rawAccessTokens();
    expect(raw[0]).toMatch(/^vault:v1:/);
    expect(raw[0]).not.toContain(accounts[0]!.access_token!);
    // The session still belongs to Ann.
    expect(browser.hasSession()).toBe(true);
  });

  it("re-link replaces the stored token", async () => {
    const browser = await signedIn("ann@example.com");
    const earlier = await rowsFor("ann@example.com");
    const before = earlier.accounts[0]!.access_token;
    expect((await linkFacebook(browser)).landing).toBe("/settings/connections?linked=facebook");
    const after = await rowsFor("ann@example.com");
    // linkedAt is the last link: Meta callbacks signed before it no longer apply.
    expect(after.connections[0]!.linkedAt.getTime()).toBeGreaterThan(earlier.connections[0]!.linkedAt.getTime());
    expect(after.accounts).toHaveLength(1);
    expect(after.accounts[0]!.access_token).not.toBe(before);
    expect(JSON.stringify(await rawAccessTokens())).not.toContain(before!);
  });

  it("refuses a Facebook identity already linked to another user, and changes nothing", async () => {
    const before = await rowsFor("ann@example.com");
    const bob = await signedIn("bob@example.com");
    expect((await linkFacebook(bob)).landing).toBe("/settings/connections?error=identity_in_use");
    const after = await rowsFor("ann@example.com");
    expect(after.accounts.map((a) => a.access_token)).toEqual(before.accounts.map((a) => a.access_token));
    expect((await rowsFor("bob@example.com")).accounts).toHaveLength(0);
  });

  it("lands on settings with 'cancelled' when the dialog is cancelled, storing nothing", async () => {
    sandbox.sandbox.control.setDialogBehaviour("pages", "cancel");
    const bob = await signedIn("bob@example.com");
    expect((await linkFacebook(bob)).landing).toBe("/settings/connections?error=cancelled");
    expect((await rowsFor("bob@example.com")).accounts).toHaveLength(0);
  });

  it("refuses to start a Facebook link while signed out", async () => {
    const anonymous = new FlowBrowser(routes as never);
    const start = await anonymous.startFacebookLink();
    expect(pathOf(start.location)).toBe("/login?error=link_requires_session");
  });

  it("refuses a callback that arrives without a session (Facebook is never a way to sign in)", async () => {
    sandbox.sandbox.control.setDialogBehaviour("pages", "approve");
    const bob = await signedIn("bob@example.com");
    const start = await bob.startFacebookLink();
    const dialog = await follow(start.location);
    bob.dropSession();
    const response = await bob.app("GET", dialog.location.replace(/#_=_$/, ""));
    expect(pathOf(response.headers.get("location") ?? "")).toBe("/login?error=link_requires_session");
    expect(bob.hasSession()).toBe(false);
    expect(await prisma.user.count()).toBe(2);
    expect(await prisma.account.count({ where: { providerAccountId: sandbox.sandbox.control.userId("pages") } })).toBe(0);
  });

  it("lands on settings with 'state_mismatch' for a tampered state", async () => {
    sandbox.sandbox.control.setDialogBehaviour("pages", "approve");
    const bob = await signedIn("bob@example.com");
    const result = await linkFacebook(bob, (url) => url.searchParams.set("state", "forged"));
    expect(result.landing).toBe("/settings/connections?error=state_mismatch");
    expect((await rowsFor("bob@example.com")).accounts).toHaveLength(0);
  });

  it("records permissions_missing when ads_read is declined", async () => {
    sandbox.sandbox.control.setDialogBehaviour("pages", "decline:ads_read");
    const bob = await signedIn("bob@example.com");
    expect((await linkFacebook(bob)).landing).toBe("/settings/connections?linked=facebook");
    const { connections } = await rowsFor("bob@example.com");
    expect(connections[0]).toMatchObject({ status: "permissions_missing" });
    expect(connections[0]!.declinedScopes).toContain("ads_read");
  });

  it("Reconnect repairs a connection whose stored token no longer decrypts (a retired key)", async () => {
    sandbox.sandbox.control.setDialogBehaviour("agency", "approve");
    const ann = await signedIn("ann@example.com");
    const { accounts } = await rowsFor("ann@example.com");
    const account = accounts.find((a) => a.providerAccountId === sandbox.sandbox.control.userId("solo"))!;
    // The row now holds an envelope sealed under a key the app no longer has.
    const retired = parseKeyRing(`retired:${Buffer.alloc(32, 7).toString("base64")}`);
    const unreadable = seal(retired, "EAAB-old-token", { table: "accounts", column: "access_token", rowId: account.id });
    await rawQuery("UPDATE accounts SET access_token = $1 WHERE id = $2", [unreadable, account.id]);
    await expect(prisma.account.findUniqueOrThrow({ where: { id: account.id } })).rejects.toThrow(/decrypt|key/i);

    sandbox.sandbox.control.setDialogBehaviour("solo", "approve");
    expect(await linkFacebook(ann)).toEqual({ status: 302, landing: "/settings/connections?linked=facebook" });
    const repaired = await prisma.account.findUniqueOrThrow({ where: { id: account.id } });
    expect(repaired.access_token!.length).toBeGreaterThan(100);
    expect(repaired.access_token).not.toBe("EAAB-old-token");
    expect((await rowsFor("ann@example.com")).connections.find((c) => c.accountId === account.id)).toMatchObject({ status: "connected" });
  });
});

async function rawQuery(sql: string, values: unknown[]) {
  const client = new pg.Client({ connectionString: parseDatabaseUrl(database.url).connectionString });
  await client.connect();
  try {
    await client.query(sql, values);
  } finally {
    await client.end();
  }
}
