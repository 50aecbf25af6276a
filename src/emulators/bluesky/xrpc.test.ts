import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeJwt, xrpcClient } from "../../../tests/helpers/xrpc-client";
import { createBlueskySandbox } from "./sandbox";

const setup = (o: Parameters<typeof createBlueskySandbox>[0] = {}) => {
  const sandbox = createBlueskySandbox({ failedLoginDelayMs: 0, ...o });
  return { sandbox, x: xrpcClient(sandbox) };
};
const ZOE_APP = "k7dq-m2xa-p4wn-tz6b";

describe("checklist 1: XRPC routing, verbs and input checks", () => {
  it("serves queries with GET and procedures with POST, and names the wrong verb", async () => {
    const { x } = setup();
    const get = await x.call("com.atproto.server.createSession", { method: "GET" });
    expect(get).toMatchObject({ status: 400, body: { error: "InvalidRequest", message: "Incorrect HTTP method (GET) expected POST" } });
    const post = await x.call("app.bsky.actor.getProfile", { method: "POST", params: { actor: "zoe.bsky.social" } });
    expect(post).toMatchObject({ status: 400, body: { error: "InvalidRequest", message: "Incorrect HTTP method (POST) expected GET" } });
    expect((await x.query("com.atproto.server.describeServer")).status).toBe(200);
  });

  it("answers 501 MethodNotImplemented for an unknown method", async () => {
    const { x } = setup();
    expect(await x.query("app.bsky.feed.getTimelineOfTheFuture")).toMatchObject({ status: 501, body: { error: "MethodNotImplemented", message: "Method Not Implemented" } });
  });

  it("words missing bodies, wrong encodings and missing properties like the lexicon validator", async () => {
    const { sandbox, x } = setup();
    const nsid = "com.atproto.server.createSession";
    expect((await x.call(nsid, { method: "POST" })).body).toEqual({ error: "InvalidRequest", message: "A request body is expected but none was provided" });
    const plain = await sandbox(new Request(`http://bsky.test/xrpc/${nsid}`, { method: "POST", headers: { "content-type": "text/plain" }, body: "hi" }));
    expect(await plain.json()).toEqual({ error: "InvalidRequest", message: "Wrong request encoding (Content-Type): text/plain" });
    expect((await x.procedure(nsid, { identifier: "zoe.bsky.social" })).body).toEqual({ error: "InvalidRequest", message: 'Input must have the property "password"' });
    expect((await x.procedure(nsid, { identifier: 7, password: "x" })).body).toEqual({ error: "InvalidRequest", message: "Input/identifier must be a string" });
    expect((await x.query("app.bsky.actor.getProfile")).body).toEqual({ error: "InvalidRequest", message: 'Params must have the property "actor"' });
  });
});

describe("checklist 2: every error is {error, message} JSON with the right status", () => {
  it("uses JSON bodies with exactly error and message for every refusal", async () => {
    const { x } = setup();
    const answers = [
      await x.query("com.atproto.server.getSession"),
      await x.query("com.atproto.server.getSession", {}, "garbage"),
      await x.procedure("com.atproto.server.createSession", { identifier: "zoe.bsky.social", password: "nope" }),
      await x.query("app.bsky.actor.getProfile", { actor: "ghost.bsky.social" }),
      await x.query("no.such.method"),
    ];
    expect(answers.map((a) => [a.status, a.body?.error])).toEqual([
      [401, "AuthMissing"],
      [400, "InvalidToken"],
      [401, "AuthenticationRequired"],
      [400, "InvalidRequest"],
      [501, "MethodNotImplemented"],
    ]);
    for (const a of answers) {
      expect(Object.keys(a.body ?? {}).sort()).toEqual(["error", "message"]);
      expect(a.headers.get("content-type")).toBe("application/json; charset=utf-8");
    }
  });

  it("marks authenticated answers private and varying by Authorization", async () => {
    const { x } = setup();
    const s = await x.login("zoe.bsky.social", ZOE_APP);
    const res = await x.query("com.atproto.server.getSession", {}, s.accessJwt);
    expect(res.headers.get("cache-control")).toBe("private");
    expect(res.headers.get("vary")).toBe("Authorization");
  });
});

describe("checklist 9: token verification order", () => {
  it("no header → 401 AuthMissing; a non-Bearer or malformed header → 400 InvalidToken", async () => {
    const { x } = setup();
    const nsid = "com.atproto.server.getSession";
    expect((await x.query(nsid)).body).toEqual({ error: "AuthMissing", message: "Authentication Required" });
    expect((await x.call(nsid, { headers: { authorization: "Basic abc" } })).body).toEqual({ error: "InvalidToken", message: "Unexpected authorization type" });
    expect((await x.call(nsid, { headers: { authorization: "Bearer" } })).body).toEqual({ error: "InvalidToken", message: "Malformed authorization header" });
  });

  it("a foreign signature, the wrong typ or the wrong audience → 400 Token could not be verified", async () => {
    const { sandbox, x } = setup();
    const s = await x.login("zoe.bsky.social", ZOE_APP);
    const other = xrpcClient(createBlueskySandbox({ failedLoginDelayMs: 0 }));
    const foreign = (await other.login("zoe.bsky.social", ZOE_APP)).accessJwt;
    const otherAud = (await xrpcClient(createBlueskySandbox({ serviceDid: "did:web:elsewhere", state: sandbox.exportState() })).login("zoe.bsky.social", ZOE_APP)).accessJwt;
    for (const token of ["garbage", "a.b.c", foreign, s.refreshJwt, otherAud]) {
      expect((await x.query("com.atproto.server.getSession", {}, token)).body).toEqual({ error: "InvalidToken", message: "Token could not be verified" });
    }
    // And the refresh side refuses an access token the same way.
    expect((await x.procedure("com.atproto.server.refreshSession", undefined, s.accessJwt)).body).toEqual({ error: "InvalidToken", message: "Token could not be verified" });
  });

  it("checks expiry before scope, and scope after that", async () => {
    const { sandbox, x } = setup();
    const app = await x.login("zoe.bsky.social", ZOE_APP);
    // Right scope check: an app-password login cannot create app passwords.
    expect((await x.procedure("com.atproto.server.createAppPassword", { name: "x" }, app.accessJwt)).body).toEqual({ error: "InvalidToken", message: "Bad token scope" });
    sandbox.control.advanceClock(121 * 60_000);
    expect(await x.procedure("com.atproto.server.createAppPassword", { name: "x" }, app.accessJwt)).toMatchObject({ status: 400, body: { error: "ExpiredToken", message: "Token has expired" } });
  });

  it("verifies with HS256 over header.payload using the sandbox's key", async () => {
    const { sandbox, x } = setup();
    const s = await x.login("zoe.bsky.social", ZOE_APP);
    const [h, p, sig] = s.accessJwt.split(".");
    expect(createHmac("sha256", sandbox.exportState().signingKey).update(`${h}.${p}`).digest("base64url")).toBe(sig);
    expect(decodeJwt(s.accessJwt).header).toEqual({ typ: "at+jwt", alg: "HS256" });
  });
});
