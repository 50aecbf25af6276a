import "server-only";
import { healthSweepJob } from "@/server/health/health-sweep-job";
import { sendMailJob } from "@/server/mail/send-mail-job";
import type { JobDefinition } from "./define-job";

/**
 * Every background job the app runs. Adding one: a `<name>-job.ts` beside its domain code that
 * calls `defineJob`, and its line here. Every worker process runs every job listed.
 */
export const JOBS: readonly JobDefinition[] = [healthSweepJob, sendMailJob];
