import fc from "fast-check";
import { NextRequest } from "next/server";
import { CredentialsSignin } from "next-auth";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/server/db";
import { createTestDatabase, type TestDatabase } from "../helpers/test-db";
import { useAppEnv } from "../helpers/app-env";
import { APP, FlowBrowser } from "../helpers/auth-flow";
import { logger } from "@/server/logger";
import { hostileString, hostileValue, report, rowCounter, runs, SEED } from "./hostile-input";

// Server actions (and Auth.js's credentials callback behind sign-in) against hostile arguments:
// an action answers with its form state or a redirect, never throws anything else, and writes
// nothing unless it succeeded. Auth.js's own signIn is replaced (it needs a live request); its
// route handlers are the real ones.
const state = vi.hoisted(() => ({ session: null as null | { user: { id: string; email: string; role: string } }, signIns: 0 }));
vi.mock("next/headers", () => ({ headers: async () => new Headers(), cookies: async () => ({ get: () => undefined }) }));
vi.mock("@/auth", async (original) => ({
  ...(await original<typeof import("@/auth")>()),
  auth: async () => state.session,
  signIn: async (provider: string) => {
    state.signIns++;
    if (provider === "credentials") throw new CredentialsSignin();
  },
}));

let database: TestDatabase;
let db: Db;
let counter: Awaited<ReturnType<typeof rowCounter>>;
let actions: typeof import("@/app/(auth)/actions") & typeof import("@/app/settings/connections/actions");
let ownerId: string;
let othersConnection: string;

beforeAll(async () => {
  database = await createTestDatabase();
  useAppEnv(database.url, { META_SANDBOX: "1" });
  actions = { ...(await import("@/app/(auth)/actions")), ...(await import("@/app/settings/connections/actions")) };
  db = (await import("@/server/db")).db();
  ownerId = (await db.user.create({ data: { email: "owner@example.com" } })).id;
  const other = await db.user.create({ data: { email: "other@example.com" } });
  const account = await db.account.create({ data: { userId: other.id, type: "oauth", provider: "facebook", providerAccountId: "42" } });
  othersConnection = (await db.metaConnection.create({ data: { userId: other.id, accountId: account.id, metaUserId: "42", name: "Other" } })).id;
  counter = await rowCounter(database.url);
});
afterAll(async () => {
  await counter.close();
  await db.$disconnect();
  await database.close();
});

const isRedirect = (error: unknown): error is { digest: string } =>
  typeof error === "object" && error !== null && typeof (error as { digest?: unknown }).digest === "string" && (error as { digest: string }).digest.startsWith("NEXT_REDIRECT");
/** A form action's answer is its state; a plain action answers nothing (or redirects). */
const formState = (value: unknown) => {
  if (value === undefined) return;
  expect(value).toBeTypeOf("object");
  for (const key of Object.keys(value as object)) expect(["error", "fieldErrors", "values"]).toContain(key);
};

/** Form fields as a browser (or a script) could post them: hostile text, files, repeats, extras. */
const formData = (names: string[]) =>
  fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...names), hostileString), fc.oneof({ weight: 5, arbitrary: hostileString }, { weight: 1, arbitrary: fc.constant(null) })), { maxLength: 6 })
    .map((pairs) => {
      const data = new FormData();
      for (const [name, value] of pairs) data.append(name, value === null ? new Blob(["file"]) : value);
      return data;
    });

/** One more user and nothing else: a registration that succeeded (the sign-in after it is Auth.js's, replaced here). */
const registered = (before: Record<string, unknown>, after: Record<string, unknown>) =>
  after.users === Number(before.users) + 1 && JSON.stringify({ ...after, users: 0 }) === JSON.stringify({ ...before, users: 0 });

/** Forms that are nearly right, so some reach the database. */
const shapedForm = fc
  .record({
    email: fc.oneof(hostileString, fc.stringMatching(/^[a-z]{1,10}$/).map((l) => `${l}@example.com`)),
    password: fc.oneof(hostileString, fc.string({ minLength: 8, maxLength: 30 })),
    name: fc.oneof(fc.string({ maxLength: 50 }), hostileString),
    callbackUrl: fc.oneof(fc.constantFrom("/dashboard", "//evil.example", "https://evil.example/"), hostileString),
  })
  .map((fields) => {
    const data = new FormData();
    for (const [k, v] of Object.entries(fields)) data.append(k, v);
    return data;
  });

async function fuzzAction(family: string, numRuns: number, arbitrary: fc.Arbitrary<{ signedIn: boolean; call: () => Promise<unknown> }>) {
  const outcomes: number[] = [];
  await fc.assert(
    fc.asyncProperty(arbitrary, async ({ signedIn, call }) => {
      state.session = signedIn ? { user: { id: ownerId, email: "owner@example.com", role: "USER" } } : null;
      const before = await counter.snapshot();
      let outcome = 200;
      let thrown: unknown = null;
      try {
        formState(await call());
      } catch (error) {
        outcome = 303;
        thrown = error;
      }
      const after = await counter.snapshot();
      if (registered(before, after)) {
        outcomes.push(201);
        return;
      }
      if (thrown && !isRedirect(thrown)) throw thrown;
      outcomes.push(outcome);
      expect(after).toEqual(before);
    }),
    { seed: SEED, numRuns, endOnFailure: true },
  );
  report(family, outcomes);
}

describe("fuzz: server actions", () => {
  it("registerAction and signInAction", async () => {
    await fuzzAction(
      "auth actions (200 = form state, 201 = registered)",
      runs(200),
      fc.record({ which: fc.constantFrom("register", "signIn"), data: fc.oneof(formData(["email", "password", "name", "callbackUrl"]), shapedForm) }).map(({ which, data }) => ({
        signedIn: false,
        call: () => (which === "register" ? actions.registerAction({}, data) : actions.signInAction({}, data)),
      })),
    );
  });

  it("settings actions (link, reconnect, disconnect) with any argument, signed in or not", async () => {
    await fuzzAction(
      "settings actions (303 = redirect)",
      runs(150),
      fc
        .record({ which: fc.constantFrom("link", "reconnect", "disconnect"), signedIn: fc.boolean(), arg: fc.oneof(hostileValue, fc.constant(othersConnection)) })
        .map(({ which, signedIn, arg }) => ({
          signedIn,
          call: () =>
            which === "link" ? actions.linkFacebookAction() : which === "reconnect" ? actions.reconnectAction(arg as boolean) : actions.disconnectAction(arg as string),
        })),
    );
  });
});

describe("fuzz: Auth.js credentials callback", () => {
  it("answers hostile sign-in forms with a redirect; authorize never fails for anything but the credentials", async () => {
    // Auth.js sends every non-client error to its error page as "Configuration", a bad CSRF token
    // included; a crash inside authorize() is the one it reports as CallbackRouteError.
    const failures: string[] = [];
    const warn = vi.spyOn(logger, "warn").mockImplementation(((fields: { type?: string }) => {
      if (fields?.type === "CallbackRouteError") failures.push(JSON.stringify(fields));
    }) as never);
    const routes = await import("@/app/api/auth/[...nextauth]/route");
    const browser = new FlowBrowser(routes as never);
    const csrfToken = await browser.csrf();
    const statuses: number[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.record({ email: fc.oneof(hostileString, fc.stringMatching(/^[a-z]{1,8}$/).map((l) => `${l}@example.com`)), password: hostileString, callbackUrl: hostileString, token: fc.oneof({ weight: 4, arbitrary: fc.constant(csrfToken) }, { weight: 1, arbitrary: hostileString }) }, { requiredKeys: [] }),
        async (form) => {
          const before = await counter.snapshot();
          const fields = Object.fromEntries(Object.entries({ csrfToken: form.token, email: form.email, password: form.password, callbackUrl: form.callbackUrl }).filter(([, v]) => v !== undefined)) as Record<string, string>;
          const request = new NextRequest(`${APP}/api/auth/callback/credentials`, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded", cookie: browser.cookieHeader(), origin: APP },
            body: new URLSearchParams(fields),
          });
          const response = await routes.POST(request);
          statuses.push(response.status);
          expect(response.status).toBeLessThan(500);
          expect(failures).toEqual([]);
          expect(await counter.snapshot()).toEqual(before);
        },
      ),
      { seed: SEED, numRuns: runs(100), endOnFailure: true },
    );
    warn.mockRestore();
    report("credentials callback", statuses);
  });
});
