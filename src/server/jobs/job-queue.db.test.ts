import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { collectOutcomes, databaseNow, makeDue, tryTake } from "@kit/job-queue-kit";
import { createTestClient, withTestDb } from "@kit/db";
import { createJobQueue, type JobQueue, type JobQueueOptions } from "./create-job-queue";
import { defineJob, type JobDefinition } from "./define-job";

let db: Db;
let url: string;
withTestDb((database, client) => {
  db = client;
  url = database.url;
});

// Every queue and extra client a test creates is closed after it, whatever happened.
const open: JobQueue[] = [];
const clients: Db[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((q) => q.stop({ timeoutMs: 1_000 })));
  await Promise.all(clients.splice(0).map((c) => c.$disconnect()));
});

/** Another app client with its own connection pool, as a second server would have. */
function client(): Db {
  const c = createTestClient(url);
  clients.push(c);
  return c;
}

function queue(jobs: readonly JobDefinition[], o: Partial<JobQueueOptions> = {}): JobQueue {
  const q = createJobQueue({ url, db, jobs, pollingSeconds: 0.5, scheduleEveryMs: 0, ...o });
  open.push(q);
  return q;
}

let n = 0;
const uniqueName = (base: string) => `${base}-${++n}`;

describe("job queue", () => {
  it("runs each job exactly once with two workers on two independent clients", async () => {
    const ran = new Map<string, number>();
    const job = defineJob({
      name: uniqueName("count"),
      payload: z.object({ i: z.number().int() }),
      concurrency: 3,
      handle: async (_p, ctx) => void ran.set(ctx.jobId, (ran.get(ctx.jobId) ?? 0) + 1),
    });
    const [a, b] = [queue([job]), queue([job], { db: client() })];
    const producer = queue([job]);
    const outcomes = collectOutcomes(a, b);
    await Promise.all([a.work(), b.work()]);
    const ids = [];
    for (let i = 0; i < 40; i++) ids.push(await producer.enqueue(job, { i }));
    const seen = await outcomes.waitFor(40);

    expect(new Set(ids).size).toBe(40);
    expect(seen.every((o) => o.outcome === "completed" && o.attempt === 1)).toBe(true);
    expect([...ran.keys()].sort()).toEqual([...ids].sort());
    expect([...ran.values()].every((count) => count === 1)).toBe(true);
    expect(outcomes.seen).toHaveLength(40);
    const stats = (await a.stats()).find((s) => s.name === job.name)!;
    expect(stats).toMatchObject({ queued: 0, active: 0, completed: 40, failed: 0 });
  });

  it("checks the payload with the job's schema before queueing, and refuses unregistered jobs", async () => {
    const job = defineJob({ name: uniqueName("typed"), payload: z.object({ postId: z.string().min(1) }), handle: async () => {} });
    const stranger = defineJob({ name: uniqueName("stranger"), payload: z.object({}), handle: async () => {} });
    const q = queue([job]);
    const refused = q.enqueue(job, { postId: "" });
    await expect(refused).rejects.toBeInstanceOf(AppError);
    await expect(refused).rejects.toMatchObject({ code: "VALIDATION_ERROR", field: "postId" });
    await expect(q.enqueue(stranger, {})).rejects.toThrow(/is not registered/);
    expect((await q.stats())[0]).toMatchObject({ queued: 0 });
  });

  it("treats a second enqueue with the same id as a no-op", async () => {
    const job = defineJob({ name: uniqueName("keyed"), payload: z.object({}), handle: async () => {} });
    const q = queue([job]);
    const id = "6f1c1f36-6a3e-4c55-9a55-5d1d6c1f0a01";
    expect(await q.enqueue(job, {}, { id })).toBe(id);
    expect(await q.enqueue(job, {}, { id })).toBeNull();
    expect((await q.stats())[0]).toMatchObject({ queued: 1 });
  });

  it("retries a failing job with growing backoff, then records it failed with its error", async () => {
    const job = defineJob({
      name: uniqueName("flaky"),
      payload: z.object({}),
      retry: { limit: 2, delaySeconds: 10, backoff: true },
      handle: async (_p, ctx) => {
        throw new Error(`Meta said no (attempt ${ctx.attempt})`);
      },
    });
    const q = queue([job]);
    const outcomes = collectOutcomes(q);
    await q.work();
    const id = (await q.enqueue(job, {}))!;

    // Attempt 1 fails: the retry waits 10–20 s (pg-boss: delay × 2^(retry) / 2, plus up to as much jitter).
    expect((await outcomes.waitFor(1))[0]).toMatchObject({ id, attempt: 1, outcome: "failed", willRetry: true, error: "Error: Meta said no (attempt 1)" });
    const first = (await q.job(job.name, id))!;
    expect(first.state).toBe("retry");
    const wait1 = first.startAfter.getTime() - first.startedAt!.getTime();
    expect(wait1).toBeGreaterThanOrEqual(10_000);
    expect(wait1).toBeLessThan(21_000);
    // Not due yet: nobody takes it.
    expect(first.startAfter.getTime()).toBeGreaterThan((await databaseNow(url)).getTime());
    expect(await tryTake(url, q.schema, job.name)).toEqual([]);

    // Time passes (the job is made due instead of waiting); attempt 2 fails and waits twice as long.
    await makeDue(url, q.schema, id);
    q.wake(job.name);
    expect((await outcomes.waitFor(2))[1]).toMatchObject({ attempt: 2, outcome: "failed", willRetry: true });
    const second = (await q.job(job.name, id))!;
    const wait2 = second.startAfter.getTime() - second.startedAt!.getTime();
    expect(wait2).toBeGreaterThanOrEqual(20_000);
    expect(wait2).toBeLessThan(41_000);

    await makeDue(url, q.schema, id);
    q.wake(job.name);
    expect((await outcomes.waitFor(3))[2]).toMatchObject({ attempt: 3, outcome: "failed", willRetry: false });
    expect((await q.job(job.name, id))!).toMatchObject({ state: "failed", output: { error: { message: "Error: Meta said no (attempt 3)" } } });
    expect((await q.stats())[0]).toMatchObject({ failed: 1, retrying: 0, lastError: "Error: Meta said no (attempt 3)" });
  });

  it("runs a one-at-a-time job once at a time across workers: a second waits, a third is not queued", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstStarted!: () => void;
    const firstRunning = new Promise<void>((resolve) => (firstStarted = resolve));
    const job = defineJob({
      name: uniqueName("single"),
      payload: z.object({ n: z.number() }),
      oneAtATime: true,
      handle: async (p) => {
        if (p.n !== 1) return;
        firstStarted();
        await held;
      },
    });
    const [a, b] = [queue([job]), queue([job], { db: client() })];
    const outcomes = collectOutcomes(a, b);
    await Promise.all([a.work(), b.work()]);
    const first = (await a.enqueue(job, { n: 1 }))!;
    await firstRunning;
    expect((await a.job(job.name, first))!.state).toBe("active");
    const second = await b.enqueue(job, { n: 2 });
    expect(second).not.toBeNull();
    expect(await a.enqueue(job, { n: 3 })).toBeNull();
    // Any other worker trying to take it now gets nothing while the first runs.
    expect(await tryTake(url, a.schema, job.name)).toEqual([]);
    expect((await a.stats())[0]).toMatchObject({ active: 1, queued: 1 });

    release();
    const seen = await outcomes.waitFor(2);
    expect(seen.map((o) => o.id)).toEqual([first, second]);
    expect(seen.every((o) => o.outcome === "completed")).toBe(true);
  });

  it("enqueues a recurring job once per period however many workers tick, on their shared clock", async () => {
    const HOUR = 3_600_000;
    let clock = Date.UTC(2026, 10, 21, 12, 30);
    const now = () => new Date(clock);
    let period = HOUR;
    const ran: string[] = [];
    const job = defineJob({
      name: uniqueName("hourly"),
      payload: z.object({ trigger: z.literal("schedule") }),
      oneAtATime: true,
      every: { periodMs: () => period, payload: { trigger: "schedule" } },
      handle: async (_p, ctx) => void ran.push(ctx.jobId),
    });
    const [a, b] = [queue([job], { now }), queue([job], { now, db: client() })];
    const outcomes = collectOutcomes(a, b);
    await Promise.all([a.work(), b.work()]);

    const tickBoth = async () => (await Promise.all([a.tickSchedules(), b.tickSchedules()])).flat();
    expect(await tickBoth()).toEqual([job.name]);
    await outcomes.waitFor(1);
    clock += 20 * 60_000; // 12:50: same period
    expect(await tickBoth()).toEqual([]);
    clock += 20 * 60_000; // 13:10: next period
    expect(await tickBoth()).toEqual([job.name]);
    await outcomes.waitFor(2);
    clock += 3 * HOUR; // three periods missed (all workers down): one run, not three
    expect(await tickBoth()).toEqual([job.name]);
    expect(await tickBoth()).toEqual([]);
    await outcomes.waitFor(3);
    period = 0; // turned off in the configuration
    clock += HOUR;
    expect(await tickBoth()).toEqual([]);

    expect(ran).toHaveLength(3);
    expect(new Set(ran).size).toBe(3);
    expect(await db.jobSchedule.findUniqueOrThrow({ where: { name: job.name } })).toMatchObject({ slotAt: new Date(Date.UTC(2026, 10, 21, 16, 0)), jobId: ran[2] });
  });

  it("on stop, tells running jobs to stop, lets them finish, and takes no more work", async () => {
    let sawAbort = false;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const job = defineJob({
      name: uniqueName("polite"),
      payload: z.object({}),
      handle: async (_p, ctx) => {
        started();
        await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }));
        sawAbort = true;
        return { stoppedEarly: true };
      },
    });
    const worker = queue([job]);
    const producer = queue([job]);
    await worker.work();
    const id = (await producer.enqueue(job, {}))!;
    await running;
    await worker.stop({ timeoutMs: 5_000 });
    expect(sawAbort).toBe(true);
    expect(await producer.job(job.name, id)).toMatchObject({ state: "completed", output: { stoppedEarly: true } });
    const later = (await producer.enqueue(job, {}))!;
    expect((await producer.job(job.name, later))!.state).toBe("created");
  });

  it("on stop, fails a job that does not finish in time so that it is retried (never left running)", async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const job = defineJob({
      name: uniqueName("stubborn"),
      payload: z.object({}),
      handle: () => {
        started();
        return new Promise(() => {});
      },
    });
    const worker = queue([job]);
    const producer = queue([job]);
    await worker.work();
    const id = (await producer.enqueue(job, {}))!;
    await running;
    await worker.stop({ timeoutMs: 1_000 });
    expect(await producer.job(job.name, id)).toMatchObject({ state: "retry" });
  });
});
