import { describe, expect, it } from "vitest";
import { bearer, link, registerApp, serverFetch, type Fetcher } from "../../../tests/helpers/mastodon-flow";
import { createMastodonSandbox } from "./sandbox";
import { countedLength } from "./statuses";

const T0 = Date.UTC(2026, 10, 30, 12, 2, 30);
const setup = () => {
  const sandbox = createMastodonSandbox({ now: () => T0 });
  return { sandbox, f: serverFetch(sandbox.serve("mastodon"), "http://mastodon.test") };
};
const publish = (f: Fetcher, token: string, body: Record<string, unknown>, key?: string) =>
  f("/api/v1/statuses", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...(key ? { "idempotency-key": key } : {}) }, body: JSON.stringify(body) });

describe("checklist 12: POST /api/v1/statuses", () => {
  it("posts with HTML content and time-ordered string ids; the same Idempotency-Key returns the same status", async () => {
    const { sandbox, f } = setup();
    const { token } = await link(f, "zoe");
    const first = await publish(f, token, { status: "Olá 👋\nhttps://example.org/x <b>", visibility: "unlisted", language: "pt" }, "attempt-1");
    expect(first.status).toBe(200);
    const a = (await first.json()) as Record<string, unknown>;
    expect(a).toMatchObject({
      visibility: "unlisted",
      language: "pt",
      content: '<p>Olá 👋<br /><a href="https://example.org/x" target="_blank" rel="nofollow noopener noreferrer">https://example.org/x</a> &lt;b&gt;</p>',
      url: `http://mastodon.test/@zoe/${a.id}`,
      application: { name: "Linkboard", website: "https://linkboard.example" },
      account: { id: "109000000000000001", statuses_count: 88 },
    });
    expect(String(a.id)).toMatch(/^\d{15,20}$/);
    const replay = (await (await publish(f, token, { status: "Olá 👋 (retry)" }, "attempt-1")).json()) as Record<string, unknown>;
    expect(replay.id).toBe(a.id);
    // Keys are per account, whichever app sends them.
    const other = await link(f, "zoe", { app: await registerApp(f, { name: "Other app" }) });
    expect(((await (await publish(f, other.token, { status: "x" }, "attempt-1")).json()) as { id: string }).id).toBe(a.id);
    const log = sandbox.control.server("mastodon").statuses("zoe");
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ replays: 2, idempotencyKey: "attempt-1" });
    const b = (await (await publish(f, token, { status: "second" }, "attempt-2")).json()) as { id: string };
    expect(BigInt(b.id) > BigInt(String(a.id))).toBe(true);
  });

  it("forgets an Idempotency-Key after an hour", async () => {
    const { sandbox, f } = setup();
    const { token } = await link(f, "zoe");
    const a = (await (await publish(f, token, { status: "one" }, "k")).json()) as { id: string };
    sandbox.control.server("mastodon").advanceClock(3600_000);
    const b = (await (await publish(f, token, { status: "one" }, "k")).json()) as { id: string };
    expect(b.id).not.toBe(a.id);
  });

  it("counts graphemes over spoiler and text, URLs as 23 and remote mentions by their user part", async () => {
    const { f } = setup();
    const { token } = await link(f, "zoe");
    expect(countedLength(`${"a".repeat(10)} https://example.org/${"x".repeat(100)}`, "")).toBe(34);
    expect(countedLength("hi @nora@very-long-server-name.example", "cw")).toBe(2 + "hi @nora".length);
    expect(countedLength("👩‍👩‍👧‍👦".repeat(500), "")).toBe(500);
    expect((await publish(f, token, { status: "👩‍👩‍👧‍👦".repeat(500) })).status).toBe(200);
    const over = await publish(f, token, { status: "a".repeat(490), spoiler_text: "b".repeat(11) });
    expect(over.status).toBe(422);
    expect(await over.json()).toEqual({ error: "Validation failed: Text character limit of 500 exceeded" });
    expect(await (await publish(f, token, { status: "  " })).json()).toEqual({ error: "Validation failed: Text can't be blank" });
    expect((await publish(f, token, { status: "x", visibility: "everyone" })).status).toBe(422);
  });

  it("needs write or write:statuses and a user", async () => {
    const { f } = setup();
    const { token } = await link(f, "zoe", { scope: "profile" });
    expect(await (await publish(f, token, { status: "x" })).json()).toEqual({ error: "This action is outside the authorized scopes" });
  });

  it("reads back by account (newest first, max_id paging) and by id", async () => {
    const { sandbox, f } = setup();
    const { token } = await link(f, "zoe");
    const ids: string[] = [];
    for (const text of ["one", "two", "three"]) {
      ids.push(((await (await publish(f, token, { status: text })).json()) as { id: string }).id);
      sandbox.control.server("mastodon").advanceClock(1000);
    }
    const list = (await (await f("/api/v1/accounts/109000000000000001/statuses?limit=2")).json()) as { id: string; content: string }[];
    expect(list.map((s) => s.content)).toEqual(["<p>three</p>", "<p>two</p>"]);
    const older = (await (await f(`/api/v1/accounts/109000000000000001/statuses?max_id=${list[1]!.id}`)).json()) as { id: string }[];
    expect(older.map((s) => s.id)).toEqual([ids[0]]);
    expect(await (await f(`/api/v1/statuses/${ids[1]}`, bearer(token))).json()).toMatchObject({ id: ids[1], content: "<p>two</p>" });
    expect(await (await f("/api/v1/statuses/1")).json()).toEqual({ error: "Record not found" });
  });
});

describe("checklist 13: X-RateLimit headers and 300 calls per token per 5 minutes", () => {
  it("puts clock-aligned X-RateLimit-* headers on API answers and answers 429 over the limit", async () => {
    const { sandbox, f } = setup();
    const { token } = await link(f, "zoe");
    const first = await f("/api/v1/accounts/verify_credentials", bearer(token));
    // 12:02:30 → the window resets at 12:05:00.
    expect(first.headers.get("x-ratelimit-limit")).toBe("300");
    expect(first.headers.get("x-ratelimit-remaining")).toBe("299");
    expect(first.headers.get("x-ratelimit-reset")).toBe("2026-11-30T12:05:00.000000Z");
    for (let i = 0; i < 299; i++) await f("/api/v1/accounts/verify_credentials", bearer(token));
    const over = await f("/api/v1/accounts/verify_credentials", bearer(token));
    expect(over.status).toBe(429);
    expect(await over.json()).toEqual({ error: "Too many requests" });
    expect(over.headers.get("x-ratelimit-remaining")).toBe("0");
    // Unauthenticated calls have their own per-IP budget (the app registration was the first).
    expect((await f("/api/v1/instance")).headers.get("x-ratelimit-remaining")).toBe("298");
    sandbox.control.server("mastodon").advanceClock(150_000);
    expect((await f("/api/v1/accounts/verify_credentials", bearer(token))).headers.get("x-ratelimit-remaining")).toBe("299");
  });
});
