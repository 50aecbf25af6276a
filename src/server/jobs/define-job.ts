import "server-only";
import type { z } from "zod";
import type { Db } from "@/server/db";

/**
 * A background job: a name, a zod schema for its payload, and a handler. Jobs run on pg-boss
 * (docs/decisions/020-job-queue-pg-boss.md) through `createJobQueue`; adding one is a file that calls
 * `defineJob` and a line in `job-registry.ts`.
 *
 * A handler may run more than once for one job (a retry after a failure, or after its worker was
 * killed), so it is idempotent or records its attempt before its side effect.
 */
export type JobContext = {
  db: Db;
  jobId: string;
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
  /** Aborted shortly before the job's time is up (it is then failed and retried): stop at the next safe point. */
  signal: AbortSignal;
  now: () => Date;
};

export type JobSpec<S extends z.ZodType> = {
  /** The queue name: lowercase letters, digits and hyphens, e.g. "health-sweep". */
  name: string;
  payload: S;
  // Method syntax: a registry of jobs with different payloads is one list.
  handle(payload: z.output<S>, ctx: JobContext): Promise<unknown>;
  /** Retries after a failure, the first after `delaySeconds`, doubling (with jitter) when `backoff`. Default 2 retries, 30 s, backoff. */
  retry?: { limit: number; delaySeconds: number; backoff?: boolean };
  /** A run longer than this fails (and is retried): also how long a killed worker's job waits before it runs again. Default 15 min. */
  timeoutSeconds?: number;
  /** At most one run at a time across every worker, and at most one more waiting; enqueueing a third is a no-op. */
  oneAtATime?: boolean;
  /** Jobs of this name one worker process runs at the same time. Default 1. */
  concurrency?: number;
  /** A recurring job: enqueued once per period across all worker processes (period from config; 0 = off). */
  every?: { periodMs: () => number; payload: z.input<S> };
};

export type JobDefinition<S extends z.ZodType = z.ZodType> = Readonly<JobSpec<S>>;

const NAME = /^[a-z][a-z0-9-]{1,62}$/;

export function defineJob<S extends z.ZodType>(spec: JobSpec<S>): JobDefinition<S> {
  if (!NAME.test(spec.name)) throw new Error(`Job name "${spec.name}" must be lowercase letters, digits and hyphens.`);
  return Object.freeze({ ...spec });
}

/** Defaults applied in one place (the queue reads these, never the raw spec). */
export function jobSettings(job: JobDefinition) {
  return {
    retryLimit: job.retry?.limit ?? 2,
    retryDelaySeconds: job.retry?.delaySeconds ?? 30,
    retryBackoff: job.retry?.backoff ?? true,
    timeoutSeconds: job.timeoutSeconds ?? 15 * 60,
    concurrency: Math.max(1, job.concurrency ?? 1),
  };
}
