import { describe, expect, it } from "vitest";
import { xrpcClient } from "../../../tests/helpers/xrpc-client";
import { createBlueskySandbox } from "./sandbox";

const ZOE_APP = "k7dq-m2xa-p4wn-tz6b";
const control = (sandbox: ReturnType<typeof createBlueskySandbox>, path: string, body?: unknown, method = body === undefined ? "GET" : "POST") =>
  sandbox(new Request(`http://bsky.test${sandbox.basePath}/_control${path}`, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) }));

describe("state: one plain JSON value, exported and imported", () => {
  it("exports JSON-serialisable state and resumes from it: accounts, tokens, clock, records", async () => {
    const a = createBlueskySandbox({ failedLoginDelayMs: 0 });
    const x = xrpcClient(a);
    const s = await x.login("zoe.bsky.social", ZOE_APP);
    await x.procedure("com.atproto.repo.createRecord", { repo: s.did, collection: "app.bsky.feed.post", record: { text: "saved", createdAt: "2026-11-30T12:00:00.000Z" } }, s.accessJwt);
    a.control.revokeAppPassword("li", "Linkboard");
    a.control.advanceClock(3_600_000);
    const saved = a.exportState();
    expect(JSON.parse(JSON.stringify(saved))).toEqual(saved);

    const b = createBlueskySandbox({ failedLoginDelayMs: 0, state: JSON.parse(JSON.stringify(saved)) });
    const y = xrpcClient(b);
    expect(b.control.now() - a.control.now()).toBeLessThan(1000);
    expect((await y.query("com.atproto.server.getSession", {}, s.accessJwt)).status).toBe(200);
    expect((await y.procedure("com.atproto.server.refreshSession", undefined, s.refreshJwt)).status).toBe(200);
    expect(b.control.records("zoe")).toHaveLength(1);
    expect(b.control.personas().find((p) => p.id === "li")?.appPasswords).toEqual([]);

    const c = createBlueskySandbox({ failedLoginDelayMs: 0 });
    c.importState(saved);
    expect((await xrpcClient(c).query("com.atproto.server.getSession", {}, s.accessJwt)).status).toBe(200);
  });

  it("refuses a malformed state", () => {
    const sandbox = createBlueskySandbox();
    expect(() => sandbox.importState({ version: 2 })).toThrow(/version/);
    expect(() => createBlueskySandbox({ state: { nope: true } })).toThrow(/Invalid input/);
  });
});

describe("controls over HTTP", () => {
  it("answers 403 for every control when controls are off", async () => {
    const sandbox = createBlueskySandbox({ controls: false });
    for (const [path, body] of [["/personas"], ["/clock", { advanceMinutes: 5 }], ["/takedown", { persona: "zoe" }]] as const) {
      const res = await control(sandbox, path, body);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: "Forbidden", message: "Sandbox controls are disabled" });
    }
    expect(sandbox.control.personas().find((p) => p.id === "zoe")?.status).toBe("active");
  });

  it("lists personas with their credentials for Quick connect", async () => {
    const sandbox = createBlueskySandbox({ basePath: "/sandbox/bluesky" });
    const res = await control(sandbox, "/personas");
    const { data } = (await res.json()) as { data: { id: string; dialogLabel: string; quickConnect: unknown }[] };
    expect(data.map((p) => p.id)).toEqual(["zoe", "li", "nora", "ingrid", "tomas", "dagny"]);
    expect(data[0]).toMatchObject({ dialogLabel: "Zoë Ångström (@zoe.bsky.social)", quickConnect: { identifier: "zoe.bsky.social", appPassword: ZOE_APP } });
  });

  it("advances the clock, revokes an app password, takes an account down and injects a fault", async () => {
    const sandbox = createBlueskySandbox({ failedLoginDelayMs: 0 });
    const x = xrpcClient(sandbox);
    const before = sandbox.control.now();
    expect(((await (await control(sandbox, "/clock", { advanceHours: 2, advanceMinutes: 1 })).json()) as { now: number }).now - before).toBeGreaterThanOrEqual(121 * 60_000);
    expect(await (await control(sandbox, "/app-passwords/revoke", { persona: "zoe", name: "Linkboard" })).json()).toEqual({ revoked: true });
    expect((await x.procedure("com.atproto.server.createSession", { identifier: "zoe.bsky.social", password: ZOE_APP })).status).toBe(401);
    await control(sandbox, "/takedown", { persona: "li" });
    expect((await x.query("app.bsky.actor.getProfile", { actor: "li.bsky.social" })).body?.error).toBe("AccountTakedown");
    await control(sandbox, "/faults", { nsid: "com.atproto.server.describeServer", status: "503", count: "1" });
    expect((await x.query("com.atproto.server.describeServer")).status).toBe(503);
    const created = (await (await control(sandbox, "/app-passwords", { persona: "nora", name: "CI" })).json()) as { password: string };
    expect((await x.procedure("com.atproto.server.createSession", { identifier: "nora.example.com", password: created.password })).status).toBe(200);
    await control(sandbox, "/settings", { refreshGraceMs: 0 });
    expect(sandbox.control.settings().refreshGraceMs).toBe(0);
  });

  it("refuses bad control input with a readable 400", async () => {
    const sandbox = createBlueskySandbox();
    const unknown = await control(sandbox, "/takedown", { persona: "nobody" });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { message: string }).message).toBe('unknown persona "nobody"');
    const bad = await control(sandbox, "/faults", { status: 200 });
    expect(bad.status).toBe(400);
    expect((await control(sandbox, "/nothing-here")).status).toBe(404);
  });
});
