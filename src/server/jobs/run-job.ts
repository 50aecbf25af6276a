import "server-only";
import type PgBoss from "pg-boss";
import type { Db } from "@/server/db";
import { logger } from "@/server/logger";
import { jobSettings, type JobDefinition } from "./define-job";

/**
 * One job run inside a pg-boss worker: parse the payload with the job's schema, call the handler
 * with a context, and record the outcome ourselves (awaited) before telling listeners. pg-boss's own
 * complete/fail after the handler returns then finds the job no longer active and does nothing.
 */
export type JobOutcome = {
  name: string;
  id: string;
  attempt: number;
  outcome: "completed" | "failed";
  /** A failed run that pg-boss will retry (after its backoff). */
  willRetry: boolean;
  durationMs: number;
  error?: string;
};

export type OutcomeListener = (outcome: JobOutcome) => void;

// The handler is told to stop this long before pg-boss gives up on it.
const ABORT_MARGIN_MS = 5_000;

export type RunJobDeps = {
  boss: PgBoss;
  db: Db;
  now: () => Date;
  /** Aborted when the queue stops: handlers stop at their next safe point. */
  stopping: AbortSignal;
  emit: OutcomeListener;
};

export async function runJob(job: JobDefinition, pgJob: PgBoss.JobWithMetadata<unknown>, deps: RunJobDeps): Promise<void> {
  const settings = jobSettings(job);
  const attempt = pgJob.retryCount + 1;
  const timeUp = new AbortController();
  const timer = setTimeout(() => timeUp.abort(), Math.max(1_000, settings.timeoutSeconds * 1000 - ABORT_MARGIN_MS));
  timer.unref();
  const signal = AbortSignal.any([timeUp.signal, deps.stopping]);
  const started = performance.now();
  const durationMs = () => Math.round(performance.now() - started);
  try {
    const payload = job.payload.parse(pgJob.data);
    const result = await job.handle(payload, { db: deps.db, jobId: pgJob.id, attempt, signal, now: deps.now });
    await deps.boss.complete(job.name, pgJob.id, outputOf(result));
    deps.emit({ name: job.name, id: pgJob.id, attempt, outcome: "completed", willRetry: false, durationMs: durationMs() });
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const willRetry = attempt <= settings.retryLimit;
    // Only name and message are kept: a stack says nothing to ops and may carry request details.
    await deps.boss.fail(job.name, pgJob.id, { error: { message } });
    logger.warn({ job: { name: job.name, id: pgJob.id, attempt, willRetry }, err: message }, "job failed");
    deps.emit({ name: job.name, id: pgJob.id, attempt, outcome: "failed", willRetry, durationMs: durationMs(), error: message });
  } finally {
    clearTimeout(timer);
  }
}

/** pg-boss stores an object as the job's output; anything else is wrapped. */
function outputOf(result: unknown): object | undefined {
  if (result === undefined || result === null) return undefined;
  return typeof result === "object" && !Array.isArray(result) ? result : { value: result };
}
