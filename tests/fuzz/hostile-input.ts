import fc from "fast-check";
import pg from "pg";
import { expect } from "vitest";
import { parseDatabaseUrl } from "@/server/db/client";
import { ERROR_STATUS } from "@/server/errors";

/**
 * The fuzz suite's kit: hostile inputs for route handlers and server actions, and the checks every
 * answer must pass (never a 5xx, the standard error shape, nothing written on a refusal). Runs are
 * seeded and bounded so the suite is fast and repeatable; FUZZ_RUNS scales them up for a soak.
 */
export const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
export const runs = (n: number) => Math.max(1, Math.round(n * Number(process.env.FUZZ_RUNS_FACTOR ?? 1)));

/** Strings an attacker would try: NUL, lone surrogates, control and format characters, SQL/HTML, huge. */
export const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }).map((s) => `${s}\u0000${s}`) },
  { weight: 1, arbitrary: fc.constantFrom("\ud800", "a\udfffb", "\u202e", "\ufeff", "\r\n", "%00", "%ZZ", "%C3%28") },
  { weight: 1, arbitrary: fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty") },
  { weight: 1, arbitrary: fc.constantFrom("' OR 1=1 --", "<script>alert(1)</script>", "../../etc/passwd", "${7*7}", "act_1'; DROP TABLE users; --") },
  { weight: 1, arbitrary: fc.constantFrom("act_", "act_0", "act_99999999999999999999", "act_1210000000000", "0", "-1", "1e999", "NaN") },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 2_000 }).map((n) => "x".repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 10_000, max: 70_000 }).map((n) => "x".repeat(n)) },
);

/** Keys for objects, prototype-pollution ones included. */
const hostileKey = fc.oneof(fc.constantFrom("__proto__", "constructor", "prototype", "adAccountId", "connectionId", "email", "password", "name"), hostileString);

/** A JSON-ish value built from hostile strings and keys (objects, arrays, numbers, null, booleans). */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null)),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie("value"), { maxKeys: 4 }),
  ),
})).value;

/** What a body may be on the wire: JSON text of hostile values, raw bytes, invalid UTF-8, deep nesting. */
export const hostileBody = (shaped: fc.Arbitrary<Record<string, unknown>>) =>
  fc.oneof(
    { weight: 6, arbitrary: shaped.map((v) => JSON.stringify(v)) },
    { weight: 3, arbitrary: hostileValue.map((v) => JSON.stringify(v) ?? "") },
    { weight: 1, arbitrary: fc.constantFrom('{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}', "{", "[]", "null", '""', "") },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)) },
    { weight: 1, arbitrary: fc.constant(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d])) },
    { weight: 1, arbitrary: fc.integer({ min: 10, max: 5_000 }).map((n) => `${"[".repeat(n)}${"]".repeat(n)}`) },
    { weight: 1, arbitrary: fc.integer({ min: 60_000, max: 200_000 }).map((n) => JSON.stringify({ name: "x".repeat(n) })) },
  );

/** Mostly JSON (so most cases get past the content check), sometimes anything else. */
export const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("application/json", "application/json; charset=utf-8", "APPLICATION/JSON") },
  { weight: 2, arbitrary: fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "") },
);

/** A query string of hostile keys and values, percent-encoded or raw. */
export const hostileQuery = (keys: string[]) =>
  fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...keys), hostileKey), fc.oneof(hostileString, fc.constantFrom(...keys))), { maxLength: 5 })
    .chain((pairs) =>
      fc.boolean().map((raw) =>
        raw
          ? pairs.map(([k, v]) => `${k}=${v}`).join("&").replace(/[#\s]/g, "")
          : new URLSearchParams(pairs.map(([k, v]) => [k, v])).toString(),
      ),
    );

/** Extra headers: wrong origins, garbage cookies and forwarded addresses, huge values. */
export const hostileHeaders = fc.record(
  {
    origin: fc.oneof({ weight: 4, arbitrary: fc.constant("http://localhost:3000") }, { weight: 1, arbitrary: fc.constantFrom("https://evil.example", "null", "http://localhost:3000.evil.example") }),
    cookie: fc.constantFrom("authjs.session-token=garbage", "a=b; __proto__=1", "x".repeat(8_000)),
    "x-forwarded-for": fc.constantFrom("127.0.0.1", "1.2.3.4, 127.0.0.1", "not an ip"),
    "content-length": fc.constantFrom("0", "5", "99999999", "-1", "abc"),
  },
  { requiredKeys: [] },
);

/** Headers the platform would refuse to even send (NUL, CR/LF) are dropped, as an HTTP server never sees them. */
export function safeHeaders(entries: Record<string, string>): Headers {
  const headers = new Headers();
  for (const [k, v] of Object.entries(entries)) {
    try {
      headers.set(k, v);
    } catch {
      // not representable on the wire
    }
  }
  return headers;
}

/** Every answer: below 500, and an error has exactly the standard shape with a code matching its status. */
export async function expectWellFormed(response: Response, label: string): Promise<{ status: number; body: unknown }> {
  expect(response.status, label).toBeLessThan(500);
  const text = await response.text();
  if (response.status < 400) return { status: response.status, body: text };
  const body = JSON.parse(text) as { error: { code: keyof typeof ERROR_STATUS; message: string; hint?: string; field?: string } };
  expect(Object.keys(body), label).toEqual(["error"]);
  expect(ERROR_STATUS[body.error.code], label).toBe(response.status);
  expect(typeof body.error.message, label).toBe("string");
  for (const key of Object.keys(body.error)) expect(["code", "message", "hint", "field"], label).toContain(key);
  return { status: response.status, body };
}

const TABLES = [
  "users",
  "accounts",
  "meta_connections",
  "meta_ad_accounts",
  "audit_events",
  "meta_data_deletion_requests",
  "meta_callback_receipts",
  "meta_insights_daily",
];

/** Row counts (and a fingerprint of the rows that a refused request could touch) of every app table, in one query. */
export async function rowCounter(url: string) {
  const client = new pg.Client({ connectionString: parseDatabaseUrl(url).connectionString });
  await client.connect();
  const sql = `SELECT ${TABLES.map((t) => `(SELECT count(*)::int FROM "${t}") AS "${t}"`).join(", ")},
    (SELECT md5(string_agg(id || is_selected::text, ',' ORDER BY id)) FROM meta_ad_accounts) AS selection,
    (SELECT md5(string_agg(id || status::text || coalesce(relink_requested_at::text, ''), ',' ORDER BY id)) FROM meta_connections) AS connections`;
  return {
    snapshot: async () => (await client.query(sql)).rows[0] as Record<string, number | string>,
    close: () => client.end(),
  };
}

/** Prints how many cases a family ran and what they were answered (the suite's report). */
export function report(family: string, statuses: number[]) {
  const tally = new Map<number, number>();
  for (const s of statuses) tally.set(s, (tally.get(s) ?? 0) + 1);
  const answered = [...tally].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(" ");
  process.stdout.write(`fuzz: ${family}: ${statuses.length} cases (seed ${SEED}): ${answered}\n`);
}
