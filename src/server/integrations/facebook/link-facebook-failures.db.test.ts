import { describe, expect, it } from "vitest";
import type { FaultSpec } from "@/emulators/meta";
import type { Db } from "@/server/db";
import { MetaApiError } from "@/server/integrations/facebook/errors";
import { metaSandbox } from "@kit/meta-sandbox";
import { withTestDb, type TestDatabase } from "@kit/db";
import { createUser, snapshotUser } from "@kit/db";
import { LinkError } from "@/server/connections/link-error";
import { linkFacebook } from "@/server/integrations/facebook/link-facebook";

/**
 * A re-link that fails at any Graph step (or in the database) leaves the previous link exactly as
 * it was: same sealed token, same connection row, same ad accounts and selection, no audit row.
 */
const SCOPES = ["ads_read", "business_management"];
// Small pages so that every edge has `next` links to follow.
const PAGE_SIZE = 100;

let tdb: TestDatabase;
let db: Db;
withTestDb((database, client) => {
  tdb = database;
  db = client;
});

let seed = 500;

type Trap = { onPaging?: (request: Request) => void; rewritePaging?: (body: { data: { name: string }[] }) => void; failCall?: number };

/** An agency user linked once with a selection; returns a way to re-link with a fresh token. */
async function linkedAgency(trap: Trap = {}) {
  let calls = 0;
  const kit = metaSandbox({
    sandbox: { seed: ++seed },
    wrapFetch: (next) => async (input, init) => {
      const request = new Request(input, init);
      calls++;
      if (trap.failCall === calls) throw new TypeError("fetch failed");
      const paging = request.method === "GET" && new URL(request.url).searchParams.has("after");
      if (paging) trap.onPaging?.(request);
      const response = await next(request);
      if (!paging || !trap.rewritePaging) return response;
      const body = (await response.json()) as { data: { name: string }[] };
      trap.rewritePaging(body);
      return Response.json(body, { status: response.status, headers: response.headers });
    },
  });
  const userId = await createUser(db, "failures");
  const providerAccountId = kit.sandbox.control.userId("agency");
  const deps = { graph: kit.graph, requiredScopes: SCOPES, pageSize: PAGE_SIZE };
  const relink = () => {
    const t = kit.sandbox.control.issueToken({ persona: "agency", scopes: SCOPES, lifetime: "short" });
    return linkFacebook(db, { userId, providerAccountId, name: "Avery", accessToken: t.accessToken, expiresIn: t.expiresIn }, deps);
  };
  const first = await relink();
  expect(first.adAccountCount).toBe(1200);
  await db.metaAdAccount.updateMany({ where: { userId, adAccountId: "act_1220000000042" }, data: { isSelected: true } });
  const arm = () => {
    calls = 0;
    kit.sandbox.control.clearRequestLog();
  };
  return { ...kit, userId, relink, arm };
}

async function expectUnchanged(setup: Awaited<ReturnType<typeof linkedAgency>>, reason: string) {
  const before = await snapshotUser(tdb.url, setup.userId);
  expect(before.adAccounts).toHaveLength(1200);
  const attempt = setup.relink();
  await expect(attempt).rejects.toBeInstanceOf(LinkError);
  await expect(attempt).rejects.toMatchObject({ reason });
  expect(await snapshotUser(tdb.url, setup.userId)).toEqual(before);
  return attempt.then(
    () => {
      throw new Error("expected the re-link to fail");
    },
    (error: LinkError) => error,
  );
}

const STEPS: [step: string, fault: FaultSpec, reason: string][] = [
  ["the long-lived exchange (expired token)", { path: "/oauth/access_token", code: 190, subcode: 463 }, "token_exchange_failed"],
  ["the long-lived exchange (Meta down)", { path: "/oauth/access_token", code: 2 }, "provider_unavailable"],
  ["the first batch as a whole", { path: "/", method: "POST", code: 2 }, "provider_unavailable"],
  ["debug_token inside the first batch", { path: "/debug_token", code: 190, subcode: 460 }, "token_invalid"],
  ["/me/permissions inside the first batch", { path: "/me/permissions", code: 200 }, "permission_denied"],
  ["/me/adaccounts inside the first batch (throttled)", { path: "/me/adaccounts", code: 80004, subcode: 2446079 }, "throttled"],
  ["/me/businesses inside the first batch", { path: "/me/businesses", code: 1, status: 500 }, "provider_unavailable"],
  ["a business edge in the business batch", { path: "/*/client_ad_accounts", code: 100, subcode: 33 }, "permission_denied"],
  ["a business edge that never ran (batch timeout)", { path: "/*/owned_ad_accounts", timeout: true }, "provider_unavailable"],
];

describe("a failed re-link leaves the previous state whole", () => {
  it.each(STEPS)("fault in %s", async (_step, fault, reason) => {
    const setup = await linkedAgency();
    setup.arm();
    setup.sandbox.control.injectFault(fault);
    await expectUnchanged(setup, reason);
    // The fault was really hit (the test would pass vacuously otherwise).
    expect(setup.sandbox.control.requestLog().length).toBeGreaterThan(0);
    expect(setup.sandbox.control.controlLog().some((e) => e.action === "injectFault")).toBe(true);
  });

  it("fault in a paging call (injected just before the first `next` page is fetched)", async () => {
    let armed = false;
    let hit = false;
    const setup = await linkedAgency({
      onPaging: () => {
        if (!armed || hit) return;
        hit = true;
        setup.sandbox.control.injectFault({ path: "/*/owned_ad_accounts", code: 2, count: 1 });
        setup.sandbox.control.injectFault({ path: "/me/adaccounts", code: 2, count: 1 });
      },
    });
    armed = true;
    setup.arm();
    await expectUnchanged(setup, "provider_unavailable");
    expect(hit).toBe(true);
  });

  it("a network failure after the first batch", async () => {
    const trap: Trap = {};
    const setup = await linkedAgency(trap);
    setup.arm();
    trap.failCall = 3;
    await expectUnchanged(setup, "provider_unavailable");
  });

  it("a database failure mid-transaction (after the token was rewritten) rolls everything back", async () => {
    const trap: Trap = {};
    const setup = await linkedAgency(trap);
    setup.arm();
    // PostgreSQL refuses NUL in text: the ad-account insert fails after the Account update ran.
    trap.rewritePaging = (body) => {
      if (body.data[0]) body.data[0].name = "bad\u0000name";
    };
    const error = await expectUnchanged(setup, "link_failed");
    expect(error.cause).not.toBeInstanceOf(MetaApiError);
    expect(String((error.cause as Error).message)).toMatch(/0x00|invalid byte sequence|null character/i);
  });

  it("a failed first link stores nothing", async () => {
    const kit = metaSandbox({ sandbox: { seed: ++seed } });
    const userId = await createUser(db, "first-fail");
    const t = kit.sandbox.control.issueToken({ persona: "solo", scopes: SCOPES, lifetime: "short" });
    kit.sandbox.control.injectFault({ path: "/me/adaccounts", code: 1, status: 500 });
    await expect(
      linkFacebook(db, { userId, providerAccountId: kit.sandbox.control.userId("solo"), name: "Sam", accessToken: t.accessToken }, { graph: kit.graph, requiredScopes: SCOPES }),
    ).rejects.toMatchObject({ reason: "provider_unavailable" });
    expect(await snapshotUser(tdb.url, userId)).toEqual({ accounts: [], connections: [], adAccounts: [], audit: [] });
  });
});
