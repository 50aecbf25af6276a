import type { Prisma } from "@prisma/client";
import { env } from "@/env";
import { requiredScopes as configuredScopes } from "@/server/connections/scopes";
import type { Db } from "@/server/db";
import { createGraphClient, type GraphClientOptions } from "@/server/integrations/facebook/client";
import { logger } from "@/server/logger";
import { readTokens } from "@/server/vault/read-tokens";
import { checkTokens, type CheckTokensOptions } from "./check-tokens";
import { acquireLease, newHolderId, releaseLease, renewLease } from "./job-lease";
import { createUsageGate, realClock, type Clock } from "./usage-gate";
import { writeCheckResults, type SweptConnection } from "./write-check-results";

/**
 * The health sweep: every connection that still has a live token is checked with `debug_token`
 * (batched, app token) and its status, expiries and last check are written back. One sweep at a
 * time across processes (job-lease.ts); the second caller returns `{ ran: false }` at once.
 *
 * Work goes page by page (keyset on id) so memory and transactions stay small with any number of
 * connections; the lease is renewed after each page and before each long back-off, and a sweep
 * that finds its lease taken over stops.
 */
export const SWEEP_JOB = "health-sweep";

export type SweepOptions = {
  trigger?: "cli" | "schedule" | "test" | "bench" | "sandbox_reset";
  clock?: Clock;
  /** Graph client settings; default: the configured Meta app (or the sandbox). */
  graph?: Partial<GraphClientOptions>;
  requiredScopes?: readonly string[];
  pageSize?: number;
  leaseTtlMs?: number;
  holder?: string;
} & Omit<CheckTokensOptions, "gate">;

export type SweepSummary = {
  ran: boolean;
  reason?: "locked" | "lease_lost";
  runId?: string;
  checked: number;
  changed: number;
  unchanged: number;
  failed: number;
  transitions: Record<string, number>;
  graphRequests: number;
  dbStatements: number;
  waitedMs: number;
  durationMs: number;
};

const SELECT = { id: true, userId: true, accountId: true, status: true, tokenExpiresAt: true, dataAccessExpiresAt: true, updatedAt: true } as const;
// Dead tokens never come back: a re-link rewrites those rows, so the sweep leaves them alone.
const SWEPT: Prisma.MetaConnectionWhereInput = { status: { in: ["connected", "permissions_missing", "error"] } };

export async function sweepConnections(db: Db, o: SweepOptions = {}): Promise<SweepSummary> {
  const clock = o.clock ?? realClock;
  const started = clock.now();
  const startedMs = performance.now();
  const ttlMs = o.leaseTtlMs ?? 15 * 60_000;
  const holder = o.holder ?? newHolderId();
  const summary: SweepSummary = { ran: false, checked: 0, changed: 0, unchanged: 0, failed: 0, transitions: {}, graphRequests: 0, dbStatements: 0, waitedMs: 0, durationMs: 0 };

  const lease = await acquireLease(db, { name: SWEEP_JOB, holder, ttlMs, now: started });
  summary.dbStatements++;
  if (!lease) return { ...summary, reason: "locked", durationMs: Math.round(performance.now() - startedMs) };
  summary.ran = true;

  const gate = createUsageGate({
    now: clock.now,
    // A long back-off must not outlive the lease: renew it first, for the wait plus a margin.
    sleep: async (ms) => {
      await renewLease(db, lease, { ttlMs: ms + ttlMs, now: clock.now() });
      summary.dbStatements++;
      await clock.sleep(ms);
    },
  });
  const graph = createGraphClient({ ...graphSettings(o.graph), fetch: gate.wrap(o.graph?.fetch ?? fetch) });
  const required = o.requiredScopes ?? configuredScopes();
  const run = await db.healthSweepRun.create({ data: { holder, trigger: o.trigger ?? "cli", startedAt: started }, select: { id: true } });
  summary.runId = run.id;
  summary.dbStatements++;

  let outcome = "completed";
  try {
    let cursor: string | undefined;
    for (;;) {
      const rows = await db.metaConnection.findMany({
        where: { ...SWEPT, ...(cursor ? { id: { gt: cursor } } : {}) },
        orderBy: { id: "asc" },
        take: o.pageSize ?? 1000,
        select: SELECT,
      });
      summary.dbStatements++;
      if (rows.length === 0) break;
      cursor = rows[rows.length - 1]!.id;

      const tokens = await readPageTokens(db, rows);
      summary.dbStatements += tokens.statements;
      const checks = await checkTokens(graph, tokens.list, { ...o, gate });
      const page = await writeCheckResults(db, rows as SweptConnection[], checks, { now: clock.now(), requiredScopes: required });
      summary.checked += page.checked;
      summary.changed += page.changed;
      summary.unchanged += page.unchanged;
      summary.failed += page.failed;
      summary.dbStatements += page.statements;
      for (const [k, n] of Object.entries(page.transitions)) summary.transitions[k] = (summary.transitions[k] ?? 0) + n;

      summary.dbStatements++;
      if (!(await renewLease(db, lease, { ttlMs, now: clock.now() }))) {
        outcome = "lease_lost";
        summary.reason = "lease_lost";
        break;
      }
    }
  } catch (error) {
    outcome = "failed";
    throw error;
  } finally {
    const stats = gate.stats();
    summary.graphRequests = stats.requests;
    summary.waitedMs = stats.waitedMs;
    summary.durationMs = Math.round(performance.now() - startedMs);
    await db.healthSweepRun.update({
      where: { id: run.id },
      data: {
        finishedAt: clock.now(),
        outcome,
        checked: summary.checked,
        changed: summary.changed,
        unchanged: summary.unchanged,
        failed: summary.failed,
        graphRequests: summary.graphRequests,
        waitedMs: Math.min(summary.waitedMs, 2_147_483_647),
        detail: { transitions: summary.transitions, peakUsagePct: stats.peakPressure },
      },
    });
    if (outcome !== "lease_lost") await releaseLease(db, lease);
    summary.dbStatements += outcome !== "lease_lost" ? 2 : 1;
    logger.info({ sweep: { ...summary, transitions: summary.transitions } }, "health sweep finished");
  }
  return summary;
}

function graphSettings(given: Partial<GraphClientOptions> = {}): GraphClientOptions {
  const { appId, appSecret, graphUrl, graphVersion } = given;
  if (appId && appSecret && graphUrl && graphVersion) return { ...given, appId, appSecret, graphUrl, graphVersion };
  const meta = env().meta;
  return { appId: meta.appId, appSecret: meta.appSecret, graphUrl: meta.graphUrl, graphVersion: meta.graphVersion, ...given };
}

/**
 * The page's tokens, opened by the vault. A token that will not decrypt (key removed, row
 * tampered) fails only its own connection: the page is re-read row by row to find it.
 */
async function readPageTokens(db: Db, rows: readonly { id: string; accountId: string }[]) {
  const byAccount = new Map(rows.map((r) => [r.accountId, r.id]));
  const read = await readTokens(() => db.account.findMany({ where: { id: { in: [...byAccount.keys()] } }, select: { id: true, access_token: true } }));
  let statements = 1;
  let accounts: { id: string; access_token: string | null }[] = [];
  if (read.ok) accounts = read.value;
  else {
    for (const accountId of byAccount.keys()) {
      statements++;
      const one = await readTokens(() => db.account.findUnique({ where: { id: accountId }, select: { id: true, access_token: true } }));
      if (one.ok && one.value) accounts.push(one.value);
    }
  }
  const list = accounts.flatMap((a) => (a.access_token ? [{ key: byAccount.get(a.id)!, token: a.access_token }] : []));
  return { list, statements };
}
