import "server-only";
import { randomUUID } from "node:crypto";
import { z, ZodError } from "zod";
import { Prisma } from "@prisma/client";
import type { Db } from "@/server/db";
import { AppError, fromZodError } from "@/server/errors";
import type { JobDefinition } from "@/server/jobs/define-job";
import { enqueue as enqueueJob } from "@/server/jobs/job-runtime";
import type { MailTemplate } from "./define-mail-template";
import { findMailTemplate } from "./mail-templates";
import { mailAddress, mailKey, mailSubject, type MailStatus } from "./schema";
import { sendMailJob } from "./send-mail-job";

/**
 * Sends a mail: checks it, records it (mail_messages: recipient, template, props, subject, status
 * "queued"), and queues the send-mail job that delivers it — over SMTP, or into the development
 * outbox when SMTP_URL is unset. Returns at once; delivery, retries and failures are the job's
 * (docs/operations.md, "Mail").
 *
 * - `userId`: the recipient's account, when there is one (one-click links are bound to it).
 * - `key`: a dedupe key ("relink-requested:<connection>:<request time>"): sending again with a key
 *   already used records nothing and returns the first message (`created: false`).
 * Refused with VALIDATION_ERROR, before anything is recorded: a recipient that is not one address,
 * props the template does not accept, a subject that is not one line (header injection).
 */
export type SendMailInput<S extends z.ZodType, L extends string> = {
  to: string;
  userId?: string | null;
  template: MailTemplate<S, L>;
  props: z.input<S>;
  key?: string;
};

export type SendMailResult = { id: string; status: MailStatus; created: boolean };

type Enqueue = (job: JobDefinition<typeof sendMailJob.payload>, payload: { messageId: string }, o: { id: string }) => Promise<string | null>;

export async function sendMail<S extends z.ZodType, L extends string>(
  db: Db,
  input: SendMailInput<S, L>,
  deps: { enqueue?: Enqueue } = {},
): Promise<SendMailResult> {
  const enqueue = deps.enqueue ?? enqueueJob;
  const template = findMailTemplate(input.template.name);
  if (!template) throw new Error(`Mail template "${input.template.name}" is not registered in mail-templates.ts.`);
  const to = check(mailAddress, input.to, "to");
  const key = input.key === undefined ? null : check(mailKey, input.key, "key");
  const props = check(template.props, input.props, "props");
  const subject = check(mailSubject, template.subject(props), "subject");

  if (key) {
    const existing = await db.mailMessage.findUnique({ where: { key }, select: { id: true, status: true } });
    if (existing) return again(existing, enqueue);
  }
  const id = randomUUID();
  try {
    await db.mailMessage.create({
      data: { id, key, toAddress: to, userId: input.userId ?? null, template: template.name, props: props as Prisma.InputJsonValue, subject },
    });
  } catch (error) {
    // The same key sent at the same moment elsewhere: theirs is the message.
    if (key && error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return again(await db.mailMessage.findUniqueOrThrow({ where: { key }, select: { id: true, status: true } }), enqueue);
    }
    throw error;
  }
  try {
    await enqueue(sendMailJob, { messageId: id }, { id });
  } catch (error) {
    // Nothing half-done: a message no job will deliver is failed, not left queued.
    await db.mailMessage.update({ where: { id }, data: { status: "failed", failedAt: new Date(), lastError: "The mail could not be queued for delivery." } });
    throw error;
  }
  return { id, status: "queued", created: true };
}

/** A message already recorded under the key: still queued → queue it again (a no-op if its job exists). */
async function again(existing: { id: string; status: MailStatus }, enqueue: Enqueue): Promise<SendMailResult> {
  if (existing.status === "queued") await enqueue(sendMailJob, { messageId: existing.id }, { id: existing.id });
  return { id: existing.id, status: existing.status, created: false };
}

function check<T extends z.ZodType>(schema: T, value: unknown, field: string): z.output<T> {
  try {
    return schema.parse(value);
  } catch (error) {
    if (!(error instanceof ZodError)) throw error;
    const inner = fromZodError(error);
    const path = inner.field ? `${field}.${inner.field}` : field;
    throw new AppError({ code: "VALIDATION_ERROR", message: `${path}: ${error.issues[0]?.message ?? "is not valid"}`, field: path });
  }
}
