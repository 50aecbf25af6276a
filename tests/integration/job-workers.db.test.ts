import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/server/db";
import { healthSweepJob } from "@/server/health/health-sweep-job";
import { createJobQueue, type JobQueue } from "@/server/jobs/create-job-queue";
import { echoJob } from "@kit/fixtures/echo-job";
import { childLines } from "@kit/child-lines";
import { withTestDb } from "@kit/db";

/**
 * Worker processes on one database, for real: a second process running the same job as this one,
 * `npm run worker` (scripts/worker.ts) running the health sweep and stopping on SIGTERM, and
 * `npm run health:sweep`. Waiting on another process is the one place these tests poll.
 */
const TSX = ["--import", "./scripts/server-only.mjs", "--import", "tsx"]; // one process, so signals reach the script itself

let db: Db;
let url: string;
withTestDb((database, client) => {
  db = client;
  url = database.url;
});

let dataDir: string;
let childEnv: NodeJS.ProcessEnv;
beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), "linkboard-workers-"));
  childEnv = {
    ...process.env,
    NODE_ENV: "development",
    DATABASE_URL: url,
    DATA_DIR: dataDir,
    AUTH_SECRET: randomBytes(33).toString("base64"),
    ENCRYPTION_KEYS: `w:${randomBytes(32).toString("base64")}`,
    LOG_LEVEL: "warn",
    WORKER_STOP_TIMEOUT_MS: "5000",
  };
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function start(script: string): { child: ChildProcess; nextLine: () => Promise<string>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [...TSX, script], { env: childEnv, stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, nextLine: childLines(child) };
}

/** Runs a script to its end: exit code and everything it printed. */
async function runToEnd(script: string, args: string[] = []): Promise<{ status: number | null; stdout: string }> {
  const child = spawn(process.execPath, [...TSX, script, ...args], { env: childEnv, stdio: ["ignore", "pipe", "inherit"] });
  let stdout = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  return { status, stdout };
}

/** Polls until `done` holds (another process is doing the work), failing after `timeoutMs`. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("worker processes on one database", () => {
  it("runs every job once when this process and another worker process both work the queue", async () => {
    const other = start("tests/kit/fixtures/job-worker.ts");
    const here: JobQueue = createJobQueue({ url, db, jobs: [echoJob], pollingSeconds: 0.5, scheduleEveryMs: 0 });
    try {
      const ready = await other.nextLine();
      expect(ready).toMatch(/^ready \d+$/);
      const otherPid = Number(ready.split(" ")[1]);
      await here.work();
      // Queued from a third client with no workers, so neither worker is woken first: both poll.
      const producer = createJobQueue({ url, db, jobs: [echoJob], scheduleEveryMs: 0, maintenance: false });
      const ids = await Promise.all(Array.from({ length: 60 }, (_, i) => producer.enqueue(echoJob, { i })));
      await producer.stop();
      const runs = await eventually(
        () => db.auditEvent.findMany({ where: { action: "test_echo_ran" }, select: { detail: true } }),
        (rows) => rows.length >= 60,
      );
      const details = runs.map((r) => r.detail as { jobId: string; pid: number });
      // Each job exactly once, whichever process took it (how they share the work is up to timing).
      expect(details.map((d) => d.jobId).sort()).toEqual([...ids].sort());
      expect(details.every((d) => d.pid === process.pid || d.pid === otherPid)).toBe(true);

      other.child.kill("SIGTERM");
      expect(await other.nextLine()).toBe("stopped");
      expect(await other.exited).toBe(0);
      // Nothing ran twice, even after the other process left.
      expect(await db.auditEvent.count({ where: { action: "test_echo_ran" } })).toBe(60);
    } finally {
      if (other.child.exitCode === null) other.child.kill("SIGKILL");
      await here.stop({ timeoutMs: 1_000 });
    }
  });

  it("`npm run worker` runs the health sweep job, and on SIGTERM stops cleanly with exit code 0", async () => {
    const worker = start("scripts/worker.ts");
    const producer = createJobQueue({ url, db, jobs: [healthSweepJob], scheduleEveryMs: 0 });
    try {
      expect(await worker.nextLine()).toMatch(/^Worker \d+ running jobs: health-sweep, send-mail$/);
      const id = (await producer.enqueue(healthSweepJob, { trigger: "cli" }))!;
      const done = await eventually(() => producer.job(healthSweepJob.name, id), (job) => job?.state === "completed");
      expect(done!.output).toMatchObject({ checked: 0, failed: 0, graphRequests: 0 });
      const run = await db.healthSweepRun.findFirstOrThrow({ where: { holder: `job:${id}` } });
      expect(run).toMatchObject({ trigger: "cli", outcome: "completed" });

      worker.child.kill("SIGTERM");
      expect(await worker.nextLine()).toMatch(/SIGTERM, stopping/);
      expect(await worker.nextLine()).toMatch(/^Worker \d+ stopped\.$/);
      expect(await worker.exited).toBe(0);
    } finally {
      if (worker.child.exitCode === null) worker.child.kill("SIGKILL");
      await producer.stop({ timeoutMs: 1_000 });
    }
  });

  it("`npm run health:sweep` queues a sweep, works it itself when no worker runs, and prints the summary; `jobs:status` counts it", async () => {
    const before = await db.healthSweepRun.count({ where: { trigger: "cli", outcome: "completed" } });
    // Not spawnSync: the embedded test database is served from this process, which must keep running.
    const result = await runToEnd("scripts/health-sweep.ts");
    expect(result.status, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/^Health sweep finished in \d+\.\d s$/m);
    expect(result.stdout).toMatch(/^ {2}checked {4}0 {2}\(changed 0, unchanged 0\)$/m);
    expect(result.stdout).toMatch(/^Connections now: 0 — /m);
    expect(await db.healthSweepRun.count({ where: { trigger: "cli", outcome: "completed" } })).toBe(before + 1);

    // `npm run jobs:status -- --json` counts it among the day's outcomes.
    const status = await runToEnd("scripts/jobs-status.ts", ["--json"]);
    expect(status.status).toBe(0);
    const sweep = (JSON.parse(status.stdout) as { name: string; completed: number; queued: number; active: number }[]).find((j) => j.name === "health-sweep");
    expect(sweep).toMatchObject({ completed: before + 1, queued: 0, active: 0 });
  });
});
