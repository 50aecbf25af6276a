import "server-only";
import { z } from "zod";
import { defineJob } from "@/server/jobs/define-job";
import { deliverMail } from "./deliver-mail";

/**
 * Delivers one recorded message (mail_messages). A temporary failure (a 4xx answer, a refused or
 * dropped connection before the message went out) is retried 6 times, the first after 1–2 minutes,
 * each next one twice as late — 1–2 hours in all, enough to ride out greylisting and short outages. A
 * permanent failure (5xx), the last temporary one, or an unknown outcome marks the message failed
 * and completes the job: mail_messages is where mail failures show (docs/operations.md, "Mail").
 */
export const MAIL_RETRY = { limit: 6, delaySeconds: 60, backoff: true } as const;

export const sendMailJob = defineJob({
  name: "send-mail",
  payload: z.object({ messageId: z.uuid() }),
  retry: MAIL_RETRY,
  // SMTP timeouts (smtp-transport.ts) end an attempt long before this.
  timeoutSeconds: 180,
  concurrency: 2,
  handle: ({ messageId }, ctx) =>
    deliverMail(ctx.db, messageId, { attempt: ctx.attempt, lastAttempt: ctx.attempt > MAIL_RETRY.limit, signal: ctx.signal, now: ctx.now }),
});
