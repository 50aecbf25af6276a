import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { PGlite } from "@electric-sql/pglite";

// The sweep logs a summary line at info; the benchmark prints its own. Set before the logger loads.
process.env.LOG_LEVEL ??= "warn";
const { parseKeyRing } = await import("@/server/crypto");
const { applyMigrations } = await import("@/server/db/migrate");
const { servePglite } = await import("@/server/db/pglite-server");
const { createAppClient } = await import("@/server/db/vault");
const { sandboxKit } = await import("@/server/health/sandbox-kit");
const { sweepConnections } = await import("@/server/health/sweep-connections");

/**
 * npm run bench:sweep — one health sweep over 10,000 Facebook connections: an in-memory PGlite
 * served over the wire protocol (the dev/embedded path) and the Meta sandbox in process, every
 * stored token issued by the sandbox (1 % of them revoked, so the dead-token path runs too).
 *
 * Prints Graph HTTP requests (the sandbox's request log; target ≤ 200 = 10,000 / 50 per batch),
 * DB statements — counted on the database side by the PGlite wire server (every Parse or simple
 * Query it receives, so nothing the client does can hide one) and, as a cross-check, by the
 * sweep itself — and wall time.
 */
const N = Number(process.env.BENCH_CONNECTIONS ?? 10_000);
const REVOKED = Math.floor(N / 100);
const PERSONAS = ["solo", "agency", "disabled", "pages", "empty", "scale"];

const id = (prefix: string, i: number) => `${prefix}${i.toString(36).padStart(6, "0")}${randomBytes(4).toString("hex")}`;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main() {
  const pglite = new PGlite();
  const server = await servePglite(pglite);
  const url = server.url;
  await applyMigrations(url);
  const db = createAppClient(url, parseKeyRing(`bench:${randomBytes(32).toString("base64")}`), { max: 10 });
  const kit = sandboxKit({ seed: 7 });
  try {
    const t0 = performance.now();
    const now = kit.clock.now();
    const users = Array.from({ length: N }, (_, i) => ({ id: id("u", i), email: `owner-${i}@example.com` }));
    const tokens = Array.from({ length: N }, (_, i) => kit.sandbox.control.issueToken({ persona: PERSONAS[i % PERSONAS.length]!, scopes: ["ads_read", "business_management"], lifetime: "long" }));
    const accounts = users.map((u, i) => ({
      id: id("a", i),
      userId: u.id,
      type: "oauth",
      provider: "facebook",
      providerAccountId: String(7_000_000_000 + i),
      access_token: tokens[i]!.accessToken,
      token_type: "bearer",
    }));
    for (let i = 0; i < N; i += 2000) {
      await db.user.createMany({ data: users.slice(i, i + 2000) });
      await db.account.createMany({ data: accounts.slice(i, i + 2000) });
      await db.metaConnection.createMany({
        data: accounts.slice(i, i + 2000).map((a, j) => ({
          userId: a.userId,
          accountId: a.id,
          metaUserId: a.providerAccountId,
          name: `Owner ${i + j}`,
          grantedScopes: ["ads_read", "business_management"],
          declinedScopes: [],
          tokenExpiresAt: new Date(now.getTime() + 60 * 86_400_000),
          dataAccessExpiresAt: new Date(now.getTime() + 90 * 86_400_000),
          linkedAt: now,
        })),
      });
    }
    for (let i = 0; i < REVOKED; i++) kit.sandbox.control.revokeToken(tokens[i * 100]!.accessToken, "app_removed");
    const setupMs = performance.now() - t0;

    kit.sandbox.control.clearRequestLog();
    const statementsBefore = server.statements();
    const t1 = performance.now();
    const summary = await sweepConnections(db, { trigger: "bench", clock: kit.clock, graph: kit.graph(), requiredScopes: ["ads_read", "business_management"] });
    const sweepMs = performance.now() - t1;
    const wireStatements = server.statements() - statementsBefore;
    const log = kit.sandbox.control.requestLog();
    const batchSizes = log.map((e) => e.batchSize ?? 0);

    console.log(`bench:sweep — ${N.toLocaleString("en")} connections, Meta sandbox in process, PGlite over the wire protocol`);
    console.log(`  setup (createMany, sandbox-issued tokens, ${REVOKED} revoked): ${secs(setupMs)}`);
    console.log(`  sweep: checked ${summary.checked}, changed ${summary.changed} (${Object.entries(summary.transitions).map(([k, n]) => `${k} ${n}`).join(", ") || "none"}), not checked ${summary.failed}`);
    console.log(`  Graph HTTP requests: ${log.length} (target ≤ ${Math.ceil(N / 50)}) — largest batch ${Math.max(...batchSizes)} items; the sweep counted ${summary.graphRequests}`);
    console.log(`  DB statements: ${wireStatements} received by the database (PGlite wire server: each Parse / simple Query); ${summary.dbStatements} issued by the sweep's own count`);
    console.log(`  wall time: ${secs(sweepMs)} (${Math.round(N / (sweepMs / 1000)).toLocaleString("en")} connections/s); waited for rate limits ${secs(summary.waitedMs)}`);
    if (log.length > Math.ceil(N / 50) || summary.checked !== N) process.exitCode = 1;
  } finally {
    await db.$disconnect();
    await server.stop();
    await pglite.close();
  }
}

await main();
