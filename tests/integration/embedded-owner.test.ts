import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createBaseClient } from "@/server/db/client";
import { findEmbeddedDatabase, startEmbeddedDatabase } from "@/server/db/embedded";
import { childLines } from "@kit/child-lines";

const TSX = ["--import", "./scripts/server-only.mjs", "--import", "tsx"]; // one process, so signals reach the script itself
let dataDir: string;
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

async function countUsers(prefix: string) {
  const owned = await startEmbeddedDatabase({ dataDir });
  const prisma = createBaseClient(owned.url, { max: 1 });
  try {
    return await prisma.user.count({ where: { email: { startsWith: prefix } } });
  } finally {
    await prisma.$disconnect();
    await owned.stop();
  }
}

describe("one owner for the embedded database", () => {
  it("a script run while the server writes connects through the owner, and no write is lost", async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "linkboard-owner-"));
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "" };
    const owner = spawn(process.execPath, [...TSX, "tests/kit/fixtures/embedded-owner.ts"], { env, stdio: ["ignore", "pipe", "inherit"] });
    const next = childLines(owner);
    const ready = await next();
    expect(ready).toMatch(/^ready postgresql:\/\/postgres:[A-Za-z0-9_-]+@127\.0\.0\.1:\d+\//);
    expect(await next()).toBe("writing");

    // Meanwhile a second process writes through withScriptDatabase.
    const script = spawnSync(process.execPath, [...TSX, "tests/kit/fixtures/script-writer.ts", "40"], { env, encoding: "utf8" });
    expect(script.status, script.stderr).toBe(0);
    expect(script.stdout.trim()).toBe(`url ${ready.slice("ready ".length)}`);

    owner.kill("SIGTERM");
    const wrote = Number((await next()).replace("wrote ", ""));
    await new Promise((resolve) => owner.once("exit", resolve));
    expect(wrote).toBeGreaterThan(0);

    // Reopened from disk: every row from both processes is there.
    expect(await countUsers("owner-")).toBe(wrote);
    expect(await countUsers("script-")).toBe(40);
  });

  it("refuses a second owner while the first is alive, and a script becomes owner when nobody is", async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "linkboard-owner-"));
    const first = await startEmbeddedDatabase({ dataDir });
    await expect(startEmbeddedDatabase({ dataDir })).rejects.toThrow(/already served by process/);
    await first.stop();

    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "" };
    const script = spawnSync(process.execPath, [...TSX, "tests/kit/fixtures/script-writer.ts", "3"], { env, encoding: "utf8" });
    expect(script.status, script.stderr).toBe(0);
    expect(await countUsers("script-")).toBe(3);
  });

  it("keeps its password in the data directory, readable by its owner only, and every client needs it", async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "linkboard-owner-"));
    const owned = await startEmbeddedDatabase({ dataDir });
    try {
      const file = path.join(dataDir, "pglite.password");
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const password = readFileSync(file, "utf8");
      expect(new URL(owned.url).password).toBe(password);
      // Scripts and the CLI find the running owner with the password in the URL.
      expect(findEmbeddedDatabase(dataDir)).toBe(owned.url);
      const anonymous = new URL(owned.url);
      anonymous.password = "";
      const prisma = createBaseClient(anonymous.toString(), { max: 1 });
      await expect(prisma.user.count()).rejects.toThrow(/Authentication failed against the database server/);
      await prisma.$disconnect();
    } finally {
      await owned.stop();
    }
    // A file someone loosened is tightened again, and the same password is reused.
    chmodSync(path.join(dataDir, "pglite.password"), 0o644);
    const again = await startEmbeddedDatabase({ dataDir });
    expect(statSync(path.join(dataDir, "pglite.password")).mode & 0o777).toBe(0o600);
    expect(new URL(again.url).password).toBe(new URL(owned.url).password);
    await again.stop();
  });
});
