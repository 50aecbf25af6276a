import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandboxServer, type SandboxServer } from "@/emulators/meta/server";
import { parseKeyRing } from "@/server/crypto";
import type { Db } from "@/server/db";
import { createAppClient } from "@/server/db/vault";
import { metaSandbox } from "@kit/meta-sandbox";
import { seedLinkedConnection, type SeededConnection } from "@kit/seed";
import { createTestDatabase, type TestDatabase } from "@kit/db";

/** The two ops CLIs, run as real processes against a test database and a sandbox over HTTP. */
const run = promisify(execFile);
const KEYS = `cli:${randomBytes(32).toString("base64")}`;

let tdb: TestDatabase;
let db: Db;
let server: SandboxServer;
const seeded: SeededConnection[] = [];

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = createAppClient(tdb.url, parseKeyRing(KEYS), { max: 2 });
  server = await startSandboxServer({ port: 0, seed: 12 });
  // The kit's sandbox only issues tokens: reuse the HTTP sandbox for that, so the CLI can check them.
  const kit = { ...metaSandbox({ sandbox: { seed: 12 } }), sandbox: server.sandbox };
  seeded.push(await seedLinkedConnection(db, kit, { persona: "solo", email: "solo-owner@example.com", adAccounts: 1 }));
  seeded.push(await seedLinkedConnection(db, kit, { persona: "agency", email: "agency-owner@example.com" }));
  await db.connection.update({ where: { id: seeded[1]!.connectionId }, data: { tokenExpiresAt: new Date(Date.now() + 2 * 86_400_000) } });
  server.sandbox.control.revokeToken(seeded[0]!.token, "password_changed");
});
afterAll(async () => {
  await db.$disconnect();
  await server.close();
  await tdb.close();
});

const cli = (script: string, args: string[] = []) =>
  run(process.execPath, ["node_modules/tsx/dist/cli.mjs", "--import", "./scripts/server-only.mjs", script, ...args], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "test",
      DATABASE_URL: tdb.url,
      ENCRYPTION_KEYS: KEYS,
      AUTH_SECRET: randomBytes(33).toString("base64"),
      META_SANDBOX: "1",
      META_GRAPH_URL: server.url,
      LOG_LEVEL: "silent",
    },
  });

describe("ops command-line tools", () => {
  it("npm run ops:connections -- --health expiring --within 7d prints the matching table and no token", async () => {
    const { stdout } = await cli("scripts/ops-connections.ts", ["--health", "expiring", "--within", "7d"]);
    expect(stdout).toContain("agency-owner@example.com");
    expect(stdout).not.toContain("solo-owner@example.com");
    expect(stdout).toMatch(/1 shown, health expiring, ending within 7 days/);
    for (const c of seeded) expect(stdout).not.toContain(c.token);
  });

  it("refuses a bad filter with the usage line", async () => {
    await expect(cli("scripts/ops-connections.ts", ["--within", "soon"])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("Usage:") });
  });

  it("npm run health:sweep checks every connection, prints a summary and no token", async () => {
    const { stdout } = await cli("scripts/health-sweep.ts");
    expect(stdout).toContain("checked    2");
    expect(stdout).toContain("connected → revoked 1");
    for (const c of seeded) expect(stdout).not.toContain(c.token);
    expect((await db.connection.findUniqueOrThrow({ where: { id: seeded[0]!.connectionId } })).state).toBe("revoked");
    const json = (await cli("scripts/ops-connections.ts", ["--json"])).stdout;
    // The sweep also stored Meta's real expiry for the live token (≈ 60 days): no longer "expiring".
    expect(JSON.parse(json).counts).toMatchObject({ total: 2, revoked: 1, connected: 1, expiring: 0 });
    for (const c of seeded) expect(json).not.toContain(c.token);
  });
});
