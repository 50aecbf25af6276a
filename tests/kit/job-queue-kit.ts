import PgBoss from "pg-boss";
import pg from "pg";
import { parseDatabaseUrl } from "@/server/db/client";
import type { JobQueue } from "@/server/jobs/create-job-queue";
import type { JobOutcome } from "@/server/jobs/run-job";

/**
 * For job-queue tests: outcomes collected from any number of queues (workers) with an awaitable
 * count, "time passes" for a job waiting out its retry backoff, and a bare pg-boss client that
 * tries to take a job the way any other worker would.
 */
export function collectOutcomes(...queues: JobQueue[]) {
  const seen: (JobOutcome & { worker: number })[] = [];
  let wake: (() => void) | null = null;
  const offs = queues.map((queue, worker) =>
    queue.onOutcome((outcome) => {
      seen.push({ ...outcome, worker });
      wake?.();
    }),
  );
  return {
    seen,
    /** Resolves once `count` outcomes were seen in total; fails after `timeoutMs` with what was seen. */
    async waitFor(count: number, timeoutMs = 15_000): Promise<(JobOutcome & { worker: number })[]> {
      const deadline = Date.now() + timeoutMs;
      while (seen.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${count} job outcomes, saw ${seen.length}: ${JSON.stringify(seen)}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
      return seen.slice(0, count);
    },
    stop: () => offs.forEach((off) => off()),
  };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: parseDatabaseUrl(url).connectionString });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The job's retry backoff is over: it is due now (pg-boss times retries with the database clock). */
export function makeDue(url: string, schema: string, jobId: string): Promise<void> {
  return withClient(url, async (client) => {
    await client.query(`UPDATE "${schema}".job SET start_after = now() - interval '1 second' WHERE id = $1`, [jobId]);
  });
}

/** What the database clock says now (pg-boss's backoff is relative to it). */
export function databaseNow(url: string): Promise<Date> {
  return withClient(url, async (client) => (await client.query<{ now: Date }>("SELECT now() AS now")).rows[0]!.now);
}

/** A third, independent pg-boss client trying to take one job of `name` right now. */
export async function tryTake(url: string, schema: string, name: string): Promise<string[]> {
  const boss = new PgBoss({ connectionString: parseDatabaseUrl(url).connectionString, schema, max: 1, supervise: false, schedule: false, migrate: false });
  boss.on("error", () => {});
  await boss.start();
  try {
    return (await boss.fetch(name)).map((job) => job.id);
  } finally {
    await boss.stop({ graceful: false, close: true });
  }
}
