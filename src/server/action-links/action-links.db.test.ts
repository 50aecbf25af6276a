import { describe, expect, it } from "vitest";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { withTestDb } from "@kit/db";
import { consumeActionLink, checkActionLink } from "./consume-action-link";
import { createActionLink } from "./create-action-link";
import { actionLinkUrl } from "./schema";

let db: Db;
withTestDb((_database, client) => {
  db = client;
});

const secret = "a-test-secret-that-is-long-enough-000000";
const T0 = new Date("2026-12-01T10:00:00Z");
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const ana = { id: "user-ana", email: "ana@example.com" };
const ben = { id: "user-ben", email: "ben@example.com" };
const HOUR = 3600;

function relinkLink(o: { for?: { userId: string } | { email: string }; target?: string } = {}) {
  return createActionLink(db, { action: "relink-connection", for: o.for ?? { userId: ana.id }, target: o.target ?? "conn-1", expiresInSeconds: HOUR }, { now: T0, secret });
}
const consume = (token: string, actor = ana, o: { action?: string; now?: Date; secret?: string } = {}) =>
  consumeActionLink(db, token, { action: o.action ?? "relink-connection", actor, now: o.now ?? later(5), secret: o.secret ?? secret });

describe("one-click links", () => {
  it("works once for its user, then says used", async () => {
    const { token, expiresAt } = await relinkLink();
    expect(expiresAt).toEqual(later(60));
    expect(await consume(token)).toEqual({
      ok: true,
      link: { id: token.split(".")[0], action: "relink-connection", target: "conn-1", userId: ana.id, email: null, expiresAt },
    });
    expect(await consume(token)).toEqual({ ok: false, reason: "used" });
    const row = await db.actionLink.findUniqueOrThrow({ where: { id: token.split(".")[0] } });
    expect(row).toMatchObject({ usedAt: later(5), usedBy: ana.id });
  });

  it("refuses an expired link, and does not use it up", async () => {
    const { token } = await relinkLink();
    expect(await consume(token, ana, { now: later(60) })).toEqual({ ok: false, reason: "expired" });
    expect(await consume(token, ana, { now: later(59) })).toMatchObject({ ok: true });
  });

  it("refuses another user's link without using it up, so its user still can", async () => {
    const { token } = await relinkLink();
    expect(await consume(token, ben)).toEqual({ ok: false, reason: "wrong_user" });
    expect(await consume(token, ana)).toMatchObject({ ok: true });
  });

  it("binds to an email for someone without an account yet (any case), and refuses other emails", async () => {
    const { token } = await relinkLink({ for: { email: "New.Person@Example.com" } });
    expect(await consume(token, { id: "someone", email: "other@example.com" })).toEqual({ ok: false, reason: "wrong_user" });
    expect(await consume(token, { id: "new-user", email: "new.person@example.COM" })).toMatchObject({ ok: true, link: { email: "new.person@example.com", userId: null } });
  });

  it("refuses a link for another action", async () => {
    const { token } = await relinkLink();
    expect(await consume(token, ana, { action: "accept-invitation" })).toEqual({ ok: false, reason: "wrong_action" });
  });

  it("refuses altered, made-up, truncated or foreign-key-signed links as a bad signature", async () => {
    const { token } = await relinkLink();
    const [id, signature] = token.split(".") as [string, string];
    const flipped = `${id}.${signature[0] === "A" ? "B" : "A"}${signature.slice(1)}`;
    const { token: other } = await relinkLink();
    const swapped = `${other.split(".")[0]}.${signature}`;
    for (const bad of [flipped, swapped, `${id}.`, id, token.slice(0, -2), "", "x".repeat(5000), `${token}.extra`, `${"A".repeat(22)}.${signature}`]) {
      expect(await consume(bad), bad.slice(0, 40)).toEqual({ ok: false, reason: "bad_signature" });
    }
    expect(await consume(token, ana, { secret: "another-secret-that-is-long-enough-0000" })).toEqual({ ok: false, reason: "bad_signature" });
    // None of that used it up.
    expect(await consume(token)).toMatchObject({ ok: true });
  });

  it("refuses a link whose stored row was changed (another user, a later expiry, another target)", async () => {
    for (const change of [{ userId: ben.id }, { expiresAt: later(60 * 24 * 30) }, { target: "conn-2" }]) {
      const { token } = await relinkLink();
      await db.actionLink.update({ where: { id: token.split(".")[0] }, data: change });
      expect(await consume(token, change.userId ? ben : ana), JSON.stringify(change)).toEqual({ ok: false, reason: "bad_signature" });
    }
  });

  it("checks without using it, also for a signed-out visitor", async () => {
    const { token } = await relinkLink();
    const check = (actor: typeof ana | null) => checkActionLink(db, token, { action: "relink-connection", actor, now: later(1), secret });
    expect(await check(null)).toMatchObject({ ok: true, link: { userId: ana.id } });
    expect(await check(ben)).toEqual({ ok: false, reason: "wrong_user" });
    expect(await check(ana)).toMatchObject({ ok: true });
    expect(await consume(token)).toMatchObject({ ok: true });
    expect(await check(null)).toEqual({ ok: false, reason: "used" });
  });

  it("lets exactly one of two concurrent uses through", async () => {
    const { token } = await relinkLink();
    const results = await Promise.all([consume(token), consume(token), consume(token)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([
      { ok: false, reason: "used" },
      { ok: false, reason: "used" },
    ]);
  });

  it("never stores the link itself", async () => {
    const { token } = await relinkLink();
    const [id, signature] = token.split(".") as [string, string];
    const row = await db.actionLink.findUniqueOrThrow({ where: { id } });
    expect(JSON.stringify(row)).not.toContain(signature);
  });

  it("refuses bad input when making a link", async () => {
    const make = (input: Record<string, unknown>) =>
      createActionLink(db, { action: "relink-connection", for: { userId: ana.id }, expiresInSeconds: HOUR, ...input } as never, { now: T0, secret });
    await expect(make({ action: "Relink Connection" })).rejects.toMatchObject({ code: "VALIDATION_ERROR", field: "action" });
    await expect(make({ expiresInSeconds: 40 * 86_400 })).rejects.toBeInstanceOf(AppError);
    await expect(make({ for: { email: "not an email" } })).rejects.toMatchObject({ code: "VALIDATION_ERROR" });
    await expect(make({ for: { userId: ana.id, email: ana.email } })).rejects.toMatchObject({ code: "VALIDATION_ERROR" });
  });

  it("builds its URL on the app's own pages only", () => {
    expect(actionLinkUrl("http://localhost:3000", "/settings/connections?provider=facebook", "abc.def")).toBe(
      "http://localhost:3000/settings/connections?provider=facebook&link=abc.def",
    );
    for (const path of ["https://evil.example/x", "//evil.example/x", "/\\evil.example/x", "settings"]) {
      expect(() => actionLinkUrl("http://localhost:3000", path, "abc.def"), path).toThrow(/must be the app's own/);
    }
  });
});
