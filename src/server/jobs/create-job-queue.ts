import "server-only";
import PgBoss from "pg-boss";
import { ZodError, type z } from "zod";
import type { Db } from "@/server/db";
import { parseDatabaseUrl } from "@/server/db/client";
import { fromZodError } from "@/server/errors";
import { logger } from "@/server/logger";
import { claimScheduleSlot, recordSlotJob } from "./claim-schedule-slot";
import { jobSettings, type JobDefinition } from "./define-job";
import { readQueueStats, type JobStats } from "./read-queue-stats";
import { runJob, type OutcomeListener } from "./run-job";

/**
 * Our job layer over pg-boss (docs/decisions/020-job-queue-pg-boss.md): one queue per registered
 * job, zod-checked payloads, workers that record each outcome, recurring jobs, and stats. pg-boss
 * keeps its tables in its own schema next to the app's (`pgboss`, or `<schema>_jobs` when the
 * database URL names a schema), creates and migrates it on start, and does the hard parts: taking a
 * job exactly once (`FOR UPDATE SKIP LOCKED`), retries with backoff, expiry of jobs whose worker
 * died, and archiving.
 */
export type JobQueueOptions = {
  /** The app's database URL (the one `databaseUrl()` builds): PostgreSQL or the embedded database. */
  url: string;
  /** Handed to every handler. */
  db: Db;
  jobs: readonly JobDefinition[];
  /** The clock of recurring-job periods (virtual in tests). */
  now?: () => Date;
  /** How often an idle worker asks for work (enqueueing in this process wakes its workers at once). Default 2 s. */
  pollingSeconds?: number;
  /** How often `work()` checks recurring jobs (0 = only through `tickSchedules()`); the first check waits `firstScheduleAfterMs`. */
  scheduleEveryMs?: number;
  firstScheduleAfterMs?: number;
  /** pg-boss maintenance (expiring dead workers' jobs, archiving). Default on; every process may run it, one does per interval. */
  maintenance?: boolean;
  poolSize?: number;
};

export type EnqueueOptions = {
  /** Not before this time. */
  startAfter?: Date;
  /** A UUID naming the job: enqueueing the same id again is a no-op (returns null). */
  id?: string;
};

export type JobRecord = {
  id: string;
  name: string;
  state: "created" | "retry" | "active" | "completed" | "cancelled" | "failed";
  attempt: number;
  startAfter: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  output: unknown;
};

export type JobQueue = {
  readonly schema: string;
  start(): Promise<void>;
  /** Checks the payload with the job's schema and queues it; null when refused as a duplicate (same id, or a one-at-a-time job already waiting). */
  enqueue<S extends z.ZodType>(job: JobDefinition<S>, payload: z.input<S>, o?: EnqueueOptions): Promise<string | null>;
  /** Starts this process's workers for every registered job, and the recurring-job ticks. */
  work(): Promise<void>;
  /** Enqueues every recurring job whose current period nobody has claimed yet; returns their names. */
  tickSchedules(): Promise<string[]>;
  /** Makes this process's idle workers of a job look for work now instead of at their next poll. */
  wake(name: string): void;
  onOutcome(listener: OutcomeListener): () => void;
  stats(): Promise<JobStats[]>;
  job(name: string, id: string): Promise<JobRecord | null>;
  /** Stops taking jobs, lets running ones finish for up to `timeoutMs` (then fails them, to be retried), closes the pool. */
  stop(o?: { timeoutMs?: number }): Promise<void>;
};

// Completed jobs stay countable for a day; failed ones for a week.
const ARCHIVE_AFTER_SECONDS = 86_400;
const ARCHIVE_FAILED_AFTER_SECONDS = 7 * 86_400;

/** pg-boss's schema for a database URL: beside the app's tables, never among them (Prisma owns those). */
export function queueSchemaFor(url: string): string {
  const { schema } = parseDatabaseUrl(url);
  const name = schema ? `${schema}_jobs` : "pgboss";
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) throw new Error(`The database schema "${schema}" cannot name a job queue schema.`);
  return name;
}

/**
 * pg-boss's createQueue is idempotent, but two processes creating the same queue at the same moment
 * on PostgreSQL can deadlock (each holds the queue row the other's partition DDL needs): the loser
 * is rolled back, and trying again finds the queue made.
 */
async function createQueueOnce(boss: PgBoss, name: string, options: PgBoss.Queue): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await boss.createQueue(name, options);
    } catch (error) {
      if ((error as { code?: string }).code !== "40P01" || attempt >= 3) throw error;
    }
  }
}

export function createJobQueue(o: JobQueueOptions): JobQueue {
  const schema = queueSchemaFor(o.url);
  const now = o.now ?? (() => new Date());
  const byName = new Map(o.jobs.map((job) => [job.name, job]));
  if (byName.size !== o.jobs.length) throw new Error("Two registered jobs share a name.");
  const boss = new PgBoss({
    connectionString: parseDatabaseUrl(o.url).connectionString,
    schema,
    max: o.poolSize ?? 5,
    application_name: "linkboard-jobs",
    schedule: false,
    supervise: o.maintenance ?? true,
    archiveCompletedAfterSeconds: ARCHIVE_AFTER_SECONDS,
    archiveFailedAfterSeconds: ARCHIVE_FAILED_AFTER_SECONDS,
  });
  boss.on("error", (error) => logger.warn({ err: error instanceof Error ? error.message : String(error) }, "job queue error"));

  const listeners = new Set<OutcomeListener>();
  const workerIds = new Map<string, string[]>();
  const stopping = new AbortController();
  const timers: NodeJS.Timeout[] = [];
  let started: Promise<void> | undefined;

  const emit: OutcomeListener = (outcome) => {
    for (const listener of listeners) listener(outcome);
  };

  const queue: JobQueue = {
    schema,
    start() {
      started ??= (async () => {
        await boss.start();
        for (const job of o.jobs) {
          const s = jobSettings(job);
          const options = {
            name: job.name,
            policy: job.oneAtATime ? ("stately" as const) : ("standard" as const),
            retryLimit: s.retryLimit,
            retryDelay: s.retryDelaySeconds,
            retryBackoff: s.retryBackoff,
            expireInSeconds: s.timeoutSeconds,
          };
          if (!(await boss.getQueue(job.name))) await createQueueOnce(boss, job.name, options);
          // Re-applies changed retry/timeout settings to a queue that already existed.
          await boss.updateQueue(job.name, options);
        }
      })();
      return started;
    },

    async enqueue(job, payload, opts = {}) {
      // By name: in development a reloaded module hands in a new object for the same job.
      const registered = byName.get(job.name);
      if (!registered) throw new Error(`Job "${job.name}" is not registered.`);
      let data: unknown;
      try {
        data = registered.payload.parse(payload);
      } catch (error) {
        throw error instanceof ZodError ? fromZodError(error) : error;
      }
      await queue.start();
      const id = await boss.send(job.name, (data ?? {}) as object, { ...(opts.startAfter ? { startAfter: opts.startAfter } : {}), ...(opts.id ? { id: opts.id } : {}) });
      if (id && !opts.startAfter) queue.wake(job.name);
      return id;
    },

    async work() {
      await queue.start();
      for (const job of o.jobs) {
        const ids: string[] = [];
        // `concurrency` independent loops of one job each: a slow job holds up only its own loop.
        for (let i = 0; i < jobSettings(job).concurrency; i++) {
          const loop = { id: "" };
          loop.id = await boss.work<unknown>(job.name, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: o.pollingSeconds ?? 2 }, async ([pgJob]) => {
            if (!pgJob) return;
            await runJob(job, pgJob, { boss, db: o.db, now, stopping: stopping.signal, emit });
            // pg-boss waits out the polling interval even after finding work; there may be more: look again at once.
            if (!stopping.signal.aborted) boss.notifyWorker(loop.id);
          });
          ids.push(loop.id);
        }
        workerIds.set(job.name, ids);
      }
      const every = o.scheduleEveryMs ?? 30_000;
      if (every > 0 && o.jobs.some((job) => job.every)) {
        const tick = () => void queue.tickSchedules().catch((error) => logger.warn({ err: error instanceof Error ? error.message : String(error) }, "recurring jobs check failed"));
        const first = setTimeout(() => {
          tick();
          const repeat = setInterval(tick, every);
          repeat.unref();
          timers.push(repeat);
        }, o.firstScheduleAfterMs ?? 60_000);
        first.unref();
        timers.push(first);
      }
    },

    async tickSchedules() {
      await queue.start();
      const enqueued: string[] = [];
      for (const job of o.jobs) {
        const periodMs = job.every?.periodMs() ?? 0;
        if (!job.every || !(periodMs > 0) || stopping.signal.aborted) continue;
        const at = now();
        if (!(await claimScheduleSlot(o.db, { name: job.name, periodMs, now: at }))) continue;
        const id = await queue.enqueue(job, job.every.payload);
        await recordSlotJob(o.db, { name: job.name, jobId: id, now: at });
        enqueued.push(job.name);
      }
      return enqueued;
    },

    wake(name) {
      for (const id of workerIds.get(name) ?? []) boss.notifyWorker(id);
    },

    onOutcome(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async stats() {
      await queue.start();
      return readQueueStats(boss, schema, o.jobs.map((job) => job.name));
    },

    async job(name, id) {
      await queue.start();
      const found = await boss.getJobById<unknown>(name, id, { includeArchive: true });
      if (!found) return null;
      return { id: found.id, name: found.name, state: found.state, attempt: found.retryCount + 1, startAfter: found.startAfter, startedAt: found.startedOn, completedAt: found.completedOn, output: found.output };
    },

    async stop(opts = {}) {
      for (const timer of timers.splice(0)) clearTimeout(timer);
      stopping.abort();
      if (!started) return;
      await started.catch(() => {});
      await boss.stop({ graceful: true, wait: true, close: true, timeout: opts.timeoutMs ?? 20_000 });
    },
  };
  return queue;
}
