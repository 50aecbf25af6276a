import "server-only";
import { z } from "zod";
import { env } from "@/env";
import { defineJob } from "@/server/jobs/define-job";
import { sweepConnections } from "./sweep-connections";

/**
 * The health sweep as a recurring job: every HEALTH_SWEEP_INTERVAL_MINUTES (0 = off), one run at a
 * time across every server and worker (a second run waits; a third is not queued).
 * `npm run health:sweep` enqueues the same job with trigger "cli".
 */
export const healthSweepJob = defineJob({
  name: "health-sweep",
  payload: z.object({ trigger: z.enum(["schedule", "cli"]) }),
  oneAtATime: true,
  every: { periodMs: () => env().health.sweepIntervalMinutes * 60_000, payload: { trigger: "schedule" } },
  // A sweep that fails outright (the database went away) tries again in a few minutes; Meta's own
  // failures never fail it (they leave connections as they were).
  retry: { limit: 1, delaySeconds: 300 },
  // Rate-limit back-offs can make a sweep long; a crashed worker's sweep is retried after this.
  timeoutSeconds: 3 * 3600,
  handle: (payload, ctx) => sweepConnections(ctx.db, { trigger: payload.trigger, holder: `job:${ctx.jobId}`, signal: ctx.signal }),
});
