/**
 * `npm run bench:link` — the cost of linking Facebook, and of the status route.
 *
 * Part 1 (in process): server-side link time for the 1-, 1,200- and 5,000-account personas against
 * the sandbox in this process (no added latency), SQL statements per link (counted by the embedded
 * database server), and Graph round trips on the critical path.
 * Part 2 (HTTP): GET /api/meta/status requests/s for a linked user against the no-op /api/health
 * route in the same `next start`, with autocannon. Needs a production build (`npm run build`);
 * skipped with a message when there is none.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { PGlite } from "@electric-sql/pglite";
import autocannon from "autocannon";
import { parseKeyRing } from "@/server/crypto";
import { applyMigrations } from "@/server/db/migrate";
import { servePglite } from "@/server/db/pglite-server";
import { createAppClient } from "@/server/db/vault";
import { linkFacebook } from "@/server/connections/link-facebook";
import { sandboxGraph } from "@/server/integrations/facebook/test-sandbox";
import { prepareProductionServer, startProductionServer } from "../tests/helpers/production-server";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function linkBench() {
  const pglite = new PGlite();
  const server = await servePglite(pglite);
  const url = server.url;
  await applyMigrations(url);
  const db = createAppClient(url, parseKeyRing(`bench:${randomBytes(32).toString("base64")}`));
  const { sandbox, graph } = sandboxGraph();
  const rows: string[] = [];
  const results: Record<string, number> = {};
  for (const persona of ["solo", "agency", "scale"] as const) {
    const times: number[] = [];
    let statements = 0;
    let roundTrips = 0;
    let graphRequests = 0;
    let accounts = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const user = await db.user.create({ data: { email: `${persona}-${round}@bench.example` } });
      // Each round links a fresh user; the identity must be free, so unlink the previous round's.
      await db.account.deleteMany({ where: { providerAccountId: sandbox.control.userId(persona) } });
      const { accessToken: token } = sandbox.control.issueToken({ persona, scopes: ["public_profile", "ads_read", "business_management"] });
      const before = server.statements();
      const started = performance.now();
      const result = await linkFacebook(
        db,
        { userId: user.id, providerAccountId: sandbox.control.userId(persona), name: persona, accessToken: token, expiresIn: 7200 },
        { graph },
      );
      times.push(performance.now() - started);
      statements = server.statements() - before;
      roundTrips = result.roundTrips;
      graphRequests = result.graphRequests;
      accounts = result.adAccountCount;
    }
    results[persona] = median(times);
    rows.push(
      `${persona.padEnd(7)} ${String(accounts).padStart(5)} accounts  median ${median(times).toFixed(0).padStart(6)} ms  ` +
        `${String(statements).padStart(4)} SQL statements  ${roundTrips} sequential Graph round trips  ${graphRequests} Graph requests`,
    );
  }
  console.log(`link (server side, sandbox in process, ${ROUNDS} rounds each):`);
  for (const row of rows) console.log(`  ${row}`);
  console.log(`  ratio 1,200 / 1 account: ${(results.agency! / results.solo!).toFixed(2)}x   5,000 / 1: ${(results.scale! / results.solo!).toFixed(2)}x`);
  await db.$disconnect();
  await server.stop();
  await pglite.close();
}


async function cookieFrom(response: Response, jar: Map<string, string>) {
  for (const c of response.headers.getSetCookie()) {
    const [pair] = c.split(";");
    const i = pair!.indexOf("=");
    jar.set(pair!.slice(0, i), pair!.slice(i + 1));
  }
}

async function statusBench() {
  if (!existsSync(".next/BUILD_ID")) {
    console.log("status route: skipped (no production build; run `npm run build` first)");
    return;
  }
  // Embedded database by default; BENCH_DATABASE_URL measures the same against PostgreSQL.
  const server = await startProductionServer(await prepareProductionServer("bench", process.env.BENCH_DATABASE_URL), { stdout: "ignore" });
  const base = server.baseUrl;
  try {
    // Register, sign in, and link the agency persona through the real flow.
    const jar = new Map<string, string>();
    const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
    await fetch(`${base}/api/register`, { method: "POST", headers: { "content-type": "application/json", origin: base }, body: JSON.stringify({ email: "bench@example.com", password: "long enough pw" }) });
    let r = await fetch(`${base}/api/auth/csrf`);
    await cookieFrom(r, jar);
    const { csrfToken } = (await r.json()) as { csrfToken: string };
    r = await fetch(`${base}/api/auth/callback/credentials`, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() }, body: new URLSearchParams({ csrfToken, email: "bench@example.com", password: "long enough pw" }) });
    await cookieFrom(r, jar);
    await fetch(`${server.sandboxUrl}/_control/dialog`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ persona: "agency", behaviour: "approve" }) });
    r = await fetch(`${base}/api/auth/signin/facebook`, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() }, body: new URLSearchParams({ csrfToken, callbackUrl: `${base}/settings/connections` }) });
    await cookieFrom(r, jar);
    r = await fetch(r.headers.get("location")!, { redirect: "manual" });
    r = await fetch(r.headers.get("location")!.replace(/#_=_$/, ""), { redirect: "manual", headers: { cookie: cookie() } });
    await cookieFrom(r, jar);
    const status = (await (await fetch(`${base}/api/meta/status`, { headers: { cookie: cookie() } })).json()) as { status: string; connections: unknown[] };
    if (status.status !== "connected") throw new Error(`link for the status bench failed: ${JSON.stringify(status).slice(0, 200)}`);

    const run = (url: string, headers: Record<string, string> = {}) =>
      autocannon({ url, connections: 10, duration: Number(process.env.BENCH_SECONDS ?? 5), headers });
    await run(`${base}/api/health`); // warm-up
    const noop = await run(`${base}/api/health`);
    const real = await run(`${base}/api/meta/status`, { cookie: cookie() });
    console.log(`status route (autocannon, 10 connections, next start, ${process.env.BENCH_DATABASE_URL ? "PostgreSQL" : "embedded database"}):`);
    console.log(`  GET /api/health      ${noop.requests.average.toFixed(0).padStart(6)} req/s  p99 ${noop.latency.p99} ms`);
    console.log(`  GET /api/meta/status ${real.requests.average.toFixed(0).padStart(6)} req/s  p99 ${real.latency.p99} ms  (non-2xx: ${real.non2xx})`);
    console.log(`  ratio status / no-op: ${(real.requests.average / noop.requests.average).toFixed(2)}`);
  } finally {
    await server.stop();
  }
}

await linkBench();
await statusBench();
