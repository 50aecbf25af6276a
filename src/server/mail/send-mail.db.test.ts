import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { createJobQueue, type JobQueue } from "@/server/jobs/create-job-queue";
import { useAppEnv } from "@kit/app-env";
import { collectOutcomes, makeDue } from "@kit/job-queue-kit";
import { startSmtpSink, type SmtpSink } from "@kit/smtp-sink";
import { withTestDb } from "@kit/db";
import { deliverMail, INTERRUPTED } from "./deliver-mail";
import { countMailMessages, listMailMessages } from "./list-mail-messages";
import { sendMail } from "./send-mail";
import { sendMailJob } from "./send-mail-job";
import { createSmtpTransport } from "./smtp-transport";
import { actionNeededMail } from "./templates/action-needed-mail";

/**
 * Sending mail end to end on both databases: sendMail records and queues, the send-mail job runs on
 * the real queue and delivers to a real SMTP server (smtp-server) that can be told to refuse or to
 * drop the connection; retries happen through pg-boss's backoff (made due instead of waited for).
 */
let db: Db;
let url: string;
let sink: SmtpSink;
let queue: JobQueue;
let outcomes: ReturnType<typeof collectOutcomes>;
const secret = randomBytes(33).toString("base64");

withTestDb((database, client) => {
  db = client;
  url = database.url;
});

const useSmtpEnv = () => useAppEnv(url, { AUTH_SECRET: secret, SMTP_URL: sink.url, MAIL_FROM: "Linkboard <no-reply@linkboard.test>" });

beforeAll(async () => {
  sink = await startSmtpSink();
  useSmtpEnv();
  queue = createJobQueue({ url, db, jobs: [sendMailJob], pollingSeconds: 0.5, scheduleEveryMs: 0 });
  outcomes = collectOutcomes(queue);
  await queue.work();
});
afterAll(async () => {
  await queue?.stop({ timeoutMs: 1_000 });
  await sink?.close();
  delete process.env.SMTP_URL;
  delete process.env.MAIL_FROM;
});
beforeEach(() => useSmtpEnv());

const viaQueue = { enqueue: (...args: Parameters<JobQueue["enqueue"]>) => queue.enqueue(...args) };

const props = (o: Record<string, unknown> = {}) => ({
  title: "Reconnect Facebook",
  message: "Your Facebook connection stops working in 3 days.",
  action: { label: "Reconnect now", link: { path: "/settings/connections" } },
  ...o,
});
const send = (o: { to?: string; props?: Record<string, unknown>; key?: string; userId?: string } = {}) =>
  sendMail(db, { to: o.to ?? "ana@example.com", userId: o.userId, template: actionNeededMail, props: (o.props ?? props()) as never, key: o.key }, viaQueue);
const row = (id: string) => db.mailMessage.findUniqueOrThrow({ where: { id } });
/** Recorded but not queued: the test runs the delivery attempt itself. */
const record = (o: { to?: string; props?: Record<string, unknown>; userId?: string } = {}) =>
  sendMail(db, { to: o.to ?? "ana@example.com", userId: o.userId, template: actionNeededMail, props: (o.props ?? props()) as never }, { enqueue: async () => null });
const attempt = (id: string, o: { attempt?: number; lastAttempt?: boolean } = {}) =>
  deliverMail(db, id, { attempt: o.attempt ?? 1, lastAttempt: o.lastAttempt ?? false, signal: new AbortController().signal, now: () => new Date() });

describe("sending mail over SMTP", () => {
  it("delivers the HTML and plain-text parts through the queue and records it sent with the server's id", async () => {
    const seen = outcomes.seen.length;
    const { id, status, created } = await send({ props: props({ recipientName: "Ana" }) });
    expect({ status, created }).toEqual({ status: "queued", created: true });
    const [outcome] = (await outcomes.waitFor(seen + 1)).slice(seen);
    expect(outcome).toMatchObject({ id, outcome: "completed", attempt: 1 });

    const [mail] = await sink.waitFor(1);
    expect(mail!.subject).toBe("Reconnect Facebook");
    expect(mail!.from?.text).toBe('"Linkboard" <no-reply@linkboard.test>');
    expect(mail!.to && "text" in mail!.to ? mail!.to.text : null).toBe("ana@example.com");
    expect(mail!.messageId).toBe(`<${id}@linkboard.test>`);
    expect(mail!.html).toContain('href="http://localhost:3000/settings/connections"');
    expect(mail!.text).toContain("Hello Ana,");
    expect(mail!.text).toContain("Reconnect now http://localhost:3000/settings/connections");
    expect(await row(id)).toMatchObject({ status: "sent", attempts: 1, providerMessageId: "SINK1", lastError: null, template: "action-needed" });
    expect((await row(id)).sentAt).toBeInstanceOf(Date);
  });

  it("retries a temporary refusal (451) after its backoff, then delivers it once", async () => {
    const before = sink.received.length;
    sink.failNext({ at: "rcpt", code: 451, message: "4.7.1 Greylisted, try again later" });
    const seen = outcomes.seen.length;
    const { id } = await send();
    expect((await outcomes.waitFor(seen + 1))[seen]).toMatchObject({ id, outcome: "failed", willRetry: true, attempt: 1 });
    expect(await row(id)).toMatchObject({ status: "queued", attempts: 1, lastError: expect.stringContaining("451 4.7.1 Greylisted") });
    const job = (await queue.job(sendMailJob.name, id))!;
    expect(job.state).toBe("retry");
    // The first retry waits at least a minute (MAIL_RETRY), doubling after.
    expect(job.startAfter.getTime() - job.startedAt!.getTime()).toBeGreaterThanOrEqual(60_000);

    await makeDue(url, queue.schema, id);
    queue.wake(sendMailJob.name);
    expect((await outcomes.waitFor(seen + 2))[seen + 1]).toMatchObject({ id, outcome: "completed", attempt: 2 });
    expect(await row(id)).toMatchObject({ status: "sent", attempts: 2, lastError: null });
    expect(sink.received).toHaveLength(before + 1);
  });

  it("fails a permanent refusal (550) at once, without retrying, and shows it to ops", async () => {
    const before = sink.received.length;
    sink.failNext({ at: "data", code: 550, message: "5.7.1 Message rejected as spam" });
    const seen = outcomes.seen.length;
    const { id } = await send({ to: "bounce@example.com" });
    expect((await outcomes.waitFor(seen + 1))[seen]).toMatchObject({ id, outcome: "completed", attempt: 1 });
    expect(await queue.job(sendMailJob.name, id)).toMatchObject({ state: "completed", output: { status: "failed", failure: "permanent" } });
    expect(await row(id)).toMatchObject({ status: "failed", attempts: 1, lastError: expect.stringContaining("550 5.7.1 Message rejected as spam") });
    expect(sink.received).toHaveLength(before);

    const failed = await listMailMessages(db, { status: "failed" });
    expect(failed.map((m) => m.id)).toContain(id);
    expect(failed.find((m) => m.id === id)).toMatchObject({ to: "bounce@example.com", subject: "Reconnect Facebook", template: "action-needed" });
    expect(failed.find((m) => m.id === id)).not.toHaveProperty("props");
    expect((await countMailMessages(db, { since: new Date(Date.now() - 60_000) })).failed).toBeGreaterThanOrEqual(1);
  });

  it("marks the last temporary failure failed", async () => {
    sink.failNext({ at: "rcpt", code: 421, message: "4.3.2 Service shutting down" });
    const { id } = await record();
    expect(await attempt(id, { attempt: 7, lastAttempt: true })).toMatchObject({ status: "failed", failure: "temporary" });
    expect(await row(id)).toMatchObject({ status: "failed", lastError: expect.stringContaining("421 4.3.2") });
  });

  it("retries a server it cannot reach", async () => {
    const { id } = await record();
    const refused = deliverMail(db, id, { attempt: 1, lastAttempt: false, signal: new AbortController().signal, now: () => new Date(), transport: createSmtpTransport("smtp://127.0.0.1:1") });
    await expect(refused).rejects.toMatchObject({ name: "MailDeliveryError", kind: "temporary", message: expect.stringContaining("ECONNREFUSED") });
    expect(await row(id)).toMatchObject({ status: "queued", attempts: 1 });
  });
});

describe("delivering at most once", () => {
  it("never sends a message again once the server accepted it", async () => {
    const { id } = await record();
    const before = sink.received.length;
    expect(await attempt(id)).toMatchObject({ status: "sent" });
    const attempts = sink.attempts;
    // The job runs again (a retry after its worker lost track, a duplicate enqueue): nothing happens.
    expect(await attempt(id, { attempt: 2 })).toEqual({ status: "skipped", reason: "sent" });
    expect(sink.attempts).toBe(attempts);
    expect(sink.received).toHaveLength(before + 1);
    expect(await row(id)).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("does not send again after an attempt that died mid-delivery: failed, may have been delivered", async () => {
    const { id } = await record();
    // What a worker killed between handing the message over and recording the answer leaves behind.
    await db.mailMessage.update({ where: { id }, data: { status: "sending", attempts: 1, lastAttemptAt: new Date() } });
    const attempts = sink.attempts;
    expect(await attempt(id, { attempt: 2 })).toEqual({ status: "failed", failure: "unknown", error: INTERRUPTED });
    expect(sink.attempts).toBe(attempts);
    expect(await row(id)).toMatchObject({ status: "failed", lastError: INTERRUPTED });
    expect((await listMailMessages(db, { status: "failed" })).map((m) => m.id)).toContain(id);
  });

  it("fails, not retries, a message whose connection dropped after the whole message went out", async () => {
    sink.failNext({ at: "data", drop: true });
    const before = sink.attempts;
    const seen = outcomes.seen.length;
    const { id } = await send();
    expect((await outcomes.waitFor(seen + 1))[seen]).toMatchObject({ id, outcome: "completed", attempt: 1 });
    expect(await row(id)).toMatchObject({ status: "failed", attempts: 1, lastError: expect.stringContaining(INTERRUPTED) });
    expect(await queue.job(sendMailJob.name, id)).toMatchObject({ state: "completed", output: { status: "failed", failure: "unknown" } });
    expect(sink.attempts).toBe(before + 1);
  });

  it("records nothing twice for one key, and still sends the first message once", async () => {
    const seen = outcomes.seen.length;
    const key = `relink-requested:conn-1:${Date.now()}`;
    const first = await send({ key });
    const second = await send({ key });
    expect(second).toMatchObject({ id: first.id, created: false });
    await outcomes.waitFor(seen + 1);
    expect(await db.mailMessage.count({ where: { key } })).toBe(1);
    expect(await send({ key })).toEqual({ id: first.id, status: "sent", created: false });
  });
});

describe("refusing bad mail before recording it", () => {
  it("refuses header injection in the recipient and the subject, and lists of recipients", async () => {
    const count = await db.mailMessage.count();
    const attempts = sink.attempts;
    for (const to of ["ana@example.com\r\nBcc: eve@example.com", "ana@example.com\nBcc:eve@example.com", "ana@example.com, eve@example.com", "Ana <ana@example.com>", ""]) {
      const refused = send({ to });
      await expect(refused, JSON.stringify(to)).rejects.toBeInstanceOf(AppError);
      await expect(refused).rejects.toMatchObject({ code: "VALIDATION_ERROR", field: "to" });
    }
    for (const title of ["Hello\r\nBcc: eve@example.com", "Hello\nX-Injected: 1", "Tab\tinside", "Bell\u0007"]) {
      const refused = send({ props: props({ title }) });
      await expect(refused, JSON.stringify(title)).rejects.toMatchObject({ code: "VALIDATION_ERROR", field: "subject", message: expect.stringContaining("one line") });
    }
    await expect(send({ props: props({ action: { label: "Go", link: { path: "https://evil.example/" } } }) })).rejects.toMatchObject({
      code: "VALIDATION_ERROR",
      field: expect.stringMatching(/^props\.action\.link/),
    });
    expect(await db.mailMessage.count()).toBe(count);
    expect(sink.attempts).toBe(attempts);
  });
});
