import { randomBytes, randomUUID } from "node:crypto";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/server/db";
import { consumeActionLink } from "@/server/action-links/consume-action-link";
import { deliverMail } from "@/server/mail/deliver-mail";
import { createOutboxTransport } from "@/server/mail/outbox-transport";
import { sendMail } from "@/server/mail/send-mail";
import { actionNeededMail } from "@/server/mail/templates/action-needed-mail";
import { useAppEnv } from "@kit/app-env";
import { PRODUCTION_CONFIG, PRODUCTION_CONFIG_NAMES } from "@kit/production-config";
import { createTestDatabase, type TestDatabase } from "@kit/db";

/**
 * The development outbox: without SMTP_URL, delivering a message stores it (HTML, plain text,
 * links) instead of sending it, and /dev/mail shows it — outside production only. One-click links
 * are minted at delivery and bound to the recipient; nothing recorded about the message holds one.
 */
let database: TestDatabase;
let db: Db;
let Page: (typeof import("@/app/dev/mail/page"))["default"];
const secret = randomBytes(33).toString("base64");
const useDevEnv = () => useAppEnv(database.url, { AUTH_SECRET: secret, AUTH_URL: "http://localhost:3108" });

beforeAll(async () => {
  database = await createTestDatabase();
  useDevEnv();
  db = (await import("@/server/db")).db();
  Page = (await import("@/app/dev/mail/page")).default;
});
afterAll(async () => {
  await db?.$disconnect();
  await database?.close();
});

const noQueue = { enqueue: async () => null };
const deliver = (id: string) => deliverMail(db, id, { attempt: 1, lastAttempt: false, signal: new AbortController().signal, now: () => new Date() });
const page = async (id?: string) => renderToStaticMarkup(await Page({ searchParams: Promise.resolve(id ? { id } : {}) }));

function mail(title: string, link: object = { path: "/dashboard" }) {
  return { title, message: "Something needs you.", action: { label: "Open it", link } } as never;
}

describe("the development outbox", () => {
  it("keeps mail instead of sending it, once per message however often delivery runs", async () => {
    const { id } = await sendMail(db, { to: "ana@example.com", template: actionNeededMail, props: mail("First mail") }, noQueue);
    const report = await deliver(id);
    const entry = await db.mailOutboxEntry.findUniqueOrThrow({ where: { messageId: id } });
    expect(report).toEqual({ status: "sent", providerMessageId: `outbox:${entry.id}` });
    expect(entry).toMatchObject({ fromAddress: "Linkboard <linkboard@localhost>", toAddress: "ana@example.com", subject: "First mail", links: { action: "http://localhost:3108/dashboard" } });
    expect(entry.html).toContain('href="http://localhost:3108/dashboard"');
    expect(entry.text).toContain("Open it http://localhost:3108/dashboard");

    // A transport retried after a lost answer adds nothing.
    const again = await createOutboxTransport(db).deliver({ id, from: "x@y.z", to: "ana@example.com", subject: "First mail", html: "", text: "", messageIdHeader: "<x>", links: {} });
    expect(again.providerMessageId).toBe(`outbox:${entry.id}`);
    expect(await db.mailOutboxEntry.count({ where: { messageId: id } })).toBe(1);
  });

  it("mints a one-click link at delivery, bound to the recipient, stored nowhere but in the mail", async () => {
    const user = { id: "user-ana", email: "ana@example.com" };
    const link = { oneClick: { action: "relink-connection", path: "/settings/connections", target: "conn-1", expiresInMinutes: 60 * 24 * 7 } };
    const { id } = await sendMail(db, { to: user.email, userId: user.id, template: actionNeededMail, props: mail("Reconnect Facebook", link) }, noQueue);
    await deliver(id);
    const entry = await db.mailOutboxEntry.findUniqueOrThrow({ where: { messageId: id } });
    const url = new URL((entry.links as Record<string, string>).action!);
    expect(url.origin + url.pathname).toBe("http://localhost:3108/settings/connections");
    const token = url.searchParams.get("link")!;
    expect(entry.text).toContain(url.toString());

    const message = await db.mailMessage.findUniqueOrThrow({ where: { id } });
    expect(JSON.stringify(message)).not.toContain(token.split(".")[1]);
    expect(await consumeActionLink(db, token, { action: "relink-connection", actor: { id: "user-eve", email: "eve@example.com" } })).toEqual({ ok: false, reason: "wrong_user" });
    expect(await consumeActionLink(db, token, { action: "relink-connection", actor: user })).toMatchObject({ ok: true, link: { target: "conn-1", userId: user.id } });
  });

  it("fails a message it cannot render (a template that is gone), without retrying", async () => {
    const id = randomUUID();
    await db.mailMessage.create({ data: { id, toAddress: "ana@example.com", template: "retired-template", props: {}, subject: "Old" } });
    expect(await deliver(id)).toMatchObject({ status: "failed", failure: "render", error: 'The mail could not be rendered: no template "retired-template"' });
    // A one-click link needs the recipient's account.
    const link = { oneClick: { action: "relink-connection", path: "/settings", expiresInMinutes: 60 } };
    const { id: noUser } = await sendMail(db, { to: "ana@example.com", template: actionNeededMail, props: mail("No user", link) }, noQueue);
    expect(await deliver(noUser)).toMatchObject({ status: "failed", failure: "render", error: expect.stringContaining("names no user") });
  });
});

describe("/dev/mail", () => {
  it("lists the outbox newest first and shows the chosen mail's HTML (sandboxed) and plain text", async () => {
    const { id } = await sendMail(db, { to: "ben@example.com", template: actionNeededMail, props: mail("Newest <mail> & more") }, noQueue);
    await deliver(id);
    const html = await page();
    const subjects = [...html.matchAll(/<span class="block font-medium">([^<]*)<\/span>/g)].map((m) => m[1]);
    expect(subjects.slice(0, 3)).toEqual(["Newest &lt;mail&gt; &amp; more", "Reconnect Facebook", "First mail"]);
    expect(html).toContain("ben@example.com");
    expect(html).toMatch(/<time dateTime="\d{4}-\d\d-\d\dT[^"]+Z"/);
    // The newest is shown: its HTML only inside a sandboxed frame's srcdoc (escaped), its text as text.
    const frame = /<iframe title="HTML part of “Newest &lt;mail&gt; &amp; more”" sandbox="allow-popups allow-popups-to-escape-sandbox" srcDoc="([^"]*)"/.exec(html);
    expect(frame).not.toBeNull();
    expect(frame![1]).toContain("&lt;!DOCTYPE html");
    expect(html).not.toContain("<!DOCTYPE html PUBLIC");
    expect(html).toMatch(/<pre[^>]*>Linkboard\n\nNewest &lt;mail&gt; &amp; more\n/);
    expect(html).toContain('<li>action: <a href="http://localhost:3108/dashboard" class="break-all underline">http://localhost:3108/dashboard</a></li>');

    const first = await db.mailOutboxEntry.findFirstOrThrow({ where: { subject: "First mail" } });
    expect(await page(first.id)).toMatch(/<h2 id="mail-subject"[^>]*>First mail<\/h2>/);
    for (const unknown of ["no-such-entry", "cmx0000000000000000000000", "bad\u0000id", "x".repeat(500)]) {
      expect(await page(unknown), unknown.slice(0, 30)).toContain("That message is not in the outbox.");
    }
  });

  it("is not found on a production server", async () => {
    useAppEnv(database.url, { ...PRODUCTION_CONFIG, AUTH_SECRET: secret });
    try {
      await expect(Page({ searchParams: Promise.resolve({}) })).rejects.toMatchObject({ digest: "NEXT_HTTP_ERROR_FALLBACK;404" });
    } finally {
      for (const name of PRODUCTION_CONFIG_NAMES) delete process.env[name];
      Object.assign(process.env, { NODE_ENV: "test" });
      useDevEnv();
    }
  });
});
