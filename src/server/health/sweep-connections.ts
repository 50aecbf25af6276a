import { hostname } from "node:os";
import type { Prisma } from "@prisma/client";
import { env } from "@/env";
import { requiredScopes as configuredScopes } from "@/server/connections/scopes";
import type { Db } from "@/server/db";
import { createGraphClient, type GraphClientOptions } from "@/server/integrations/facebook/client";
import { META_APP_LIMIT } from "@/server/integrations/facebook/rate-limit-keys";
import { logger } from "@/server/logger";
import { sharedPause } from "@/server/rate-limits/shared-rate-limits";
import { readTokens } from "@/server/vault/read-tokens";
import { checkTokens, type CheckTokensOptions } from "./check-tokens";
import { createUsageGate, realClock, type Clock } from "./usage-gate";
import { writeCheckResults, type SweptConnection } from "./write-check-results";

/**
 * The health sweep: every connection that still has a live token is checked with `debug_token`
 * (batched, app token) and its status, expiries and last check are written back. It runs as the
 * `health-sweep` job (health-sweep-job.ts), which the queue runs one at a time across processes.
 *
 * Work goes page by page (keyset on id) so memory and transactions stay small with any number of
 * connections; when `signal` is aborted (the worker is stopping, or the job's time is up) the sweep
 * stops after the current page.
 */

export type SweepOptions = {
  trigger?: "cli" | "schedule" | "test" | "bench" | "sandbox_reset";
  clock?: Clock;
  /** Graph client settings; default: the configured Meta app (or the sandbox). */
  graph?: Partial<GraphClientOptions>;
  requiredScopes?: readonly string[];
  pageSize?: number;
  /** Who runs it (the job id), recorded on the run. */
  holder?: string;
  signal?: AbortSignal;
} & Omit<CheckTokensOptions, "gate">;

export type SweepSummary = {
  /** Set when the sweep stopped before the last page because `signal` was aborted. */
  reason?: "stopped";
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
  const holder = o.holder ?? `${hostname()}:${process.pid}`;
  const summary: SweepSummary = { checked: 0, changed: 0, unchanged: 0, failed: 0, transitions: {}, graphRequests: 0, dbStatements: 0, waitedMs: 0, durationMs: 0 };

  // Meta's app-level budget is shared with every process (insights too): pauses are read and written in the database.
  const gate = createUsageGate(clock, sharedPause(db, META_APP_LIMIT));
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

      if (o.signal?.aborted) {
        outcome = "stopped";
        summary.reason = "stopped";
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
    summary.dbStatements += 1 + stats.sharedStatements;
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
