import "server-only";
import type { z } from "zod";
import { env } from "@/env";
import { databaseUrl, db } from "@/server/db";
import { logger } from "@/server/logger";
import { createJobQueue, type EnqueueOptions, type JobQueue } from "./create-job-queue";
import type { JobDefinition } from "./define-job";
import { JOBS } from "./job-registry";

/**
 * The app server's job queue: created on first use with the app's database URL and client, and
 * cached on globalThis (Next gives route bundles separate module state). `enqueue` works in every
 * server; workers run in the server only when WORKERS_IN_SERVER is on (the default) — otherwise
 * `npm run worker` processes run them (docs/operations.md, "Background jobs").
 */
const holder = globalThis as unknown as { __linkboardJobs?: JobQueue; __linkboardJobSignals?: boolean };

export function jobQueue(): JobQueue {
  holder.__linkboardJobs ??= createJobQueue({ url: databaseUrl(), db: db(), jobs: JOBS });
  return holder.__linkboardJobs;
}

export function enqueue<S extends z.ZodType>(job: JobDefinition<S>, payload: z.input<S>, o?: EnqueueOptions): Promise<string | null> {
  return jobQueue().enqueue(job, payload, o);
}

/**
 * Called once from instrumentation.ts when the server starts (never during `next build`). Takes
 * over SIGTERM / SIGINT (scripts/serve.ts sets NEXT_MANUAL_SIG_HANDLE, so Next leaves them to us):
 * running jobs get a bounded time to finish before the process exits.
 */
export async function startServerJobs(): Promise<void> {
  if (!holder.__linkboardJobSignals && process.env.NEXT_MANUAL_SIG_HANDLE) {
    holder.__linkboardJobSignals = true;
    for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void stopAndExit(signal));
  }
  const config = env();
  if (!config.jobs.workersInServer) {
    logger.info("job workers are off in this server (WORKERS_IN_SERVER=0): run `npm run worker`");
    return;
  }
  if (!config.databaseUrl) {
    logger.warn("job workers not started: DATABASE_URL is not set (start with npm run dev / npm start)");
    return;
  }
  try {
    await jobQueue().work();
    logger.info({ jobs: JOBS.map((job) => job.name) }, "job workers started in the server");
  } catch (error) {
    logger.error({ err: error instanceof Error ? error.message : String(error) }, "job workers failed to start");
  }
}

async function stopAndExit(signal: NodeJS.Signals): Promise<void> {
  try {
    await holder.__linkboardJobs?.stop({ timeoutMs: 20_000 });
  } catch (error) {
    logger.warn({ err: error instanceof Error ? error.message : String(error), signal }, "job queue did not stop cleanly");
  }
  process.exit(0);
}
