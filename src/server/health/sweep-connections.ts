import "server-only";
import { hostname } from "node:os";
import { realClock, type Clock } from "@/server/clock";
import type { Db } from "@/server/db";
import { markTokenUnreadable } from "@/server/connections/read-connection-tokens";
import { registry as defaultRegistry, type Registry } from "@/server/integrations/registry";
import type { CheckContext, ProviderAdapter, StoredTokens } from "@/server/integrations/types";
import { logger } from "@/server/logger";
import { readTokens } from "@/server/vault/read-tokens";
import { writeCheckResults, type SweptConnection } from "./write-check-results";

/**
 * The health sweep: for every provider whose adapter can check tokens, every connection that still
 * has a live token is checked (in the platform's batches) and its status, expiries and last check
 * are written back. It runs as the `health-sweep` job (health-sweep-job.ts), which the queue runs
 * one at a time across processes.
 *
 * Work goes provider by provider, page by page (keyset on id) so memory and transactions stay small
 * with any number of connections; when `signal` is aborted (the worker is stopping, or the job's
 * time is up) the sweep stops after the current page.
 */
export type SweepOptions = {
  trigger?: "cli" | "schedule" | "test" | "bench" | "sandbox_reset";
  clock?: Clock;
  /** The providers to sweep; default: every registered one. */
  registry?: Registry;
  pageSize?: number;
  /** Who runs it (the job id), recorded on the run. */
  holder?: string;
  signal?: AbortSignal;
} & Pick<CheckContext, "batchSize" | "concurrency" | "retries" | "maxThrottleRounds">;

export type SweepSummary = {
  /** Set when the sweep stopped before the last page because `signal` was aborted. */
  reason?: "stopped";
  runId?: string;
  checked: number;
  changed: number;
  unchanged: number;
  failed: number;
  transitions: Record<string, number>;
  /** Requests to the platforms (Meta: Graph batch requests). */
  graphRequests: number;
  dbStatements: number;
  waitedMs: number;
  durationMs: number;
};

const SELECT = { id: true, userId: true, accountId: true, state: true, tokenExpiresAt: true, dataAccessExpiresAt: true, updatedAt: true } as const;

export async function sweepConnections(db: Db, o: SweepOptions = {}): Promise<SweepSummary> {
  const clock = o.clock ?? realClock;
  const started = clock.now();
  const startedMs = performance.now();
  const holder = o.holder ?? `${hostname()}:${process.pid}`;
  const summary: SweepSummary = { checked: 0, changed: 0, unchanged: 0, failed: 0, transitions: {}, graphRequests: 0, dbStatements: 0, waitedMs: 0, durationMs: 0 };
  const ctx: CheckContext = {
    db,
    clock,
    batchSize: o.batchSize,
    concurrency: o.concurrency,
    retries: o.retries,
    maxThrottleRounds: o.maxThrottleRounds,
    carry: new Map(),
  };
  const run = await db.healthSweepRun.create({ data: { holder, trigger: o.trigger ?? "cli", startedAt: started }, select: { id: true } });
  summary.runId = run.id;
  summary.dbStatements++;

  let outcome = "completed";
  let peakUsagePct = 0;
  try {
    const adapters = (o.registry ?? defaultRegistry).all().filter((a) => a.checkTokens && a.settings().configured);
    for (const adapter of adapters) {
      const result = await sweepProvider(db, adapter, { ...o, ctx, clock, summary });
      peakUsagePct = Math.max(peakUsagePct, result.peakUsagePct);
      if (result.stopped) {
        outcome = "stopped";
        summary.reason = "stopped";
        break;
      }
    }
  } catch (error) {
    outcome = "failed";
    throw error;
  } finally {
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
        detail: { transitions: summary.transitions, peakUsagePct },
      },
    });
    summary.dbStatements++;
    logger.info({ sweep: { ...summary, transitions: summary.transitions } }, "health sweep finished");
  }
  return summary;
}

async function sweepProvider(
  db: Db,
  adapter: ProviderAdapter,
  o: SweepOptions & { ctx: CheckContext; clock: Clock; summary: SweepSummary },
): Promise<{ stopped: boolean; peakUsagePct: number }> {
  const { summary } = o;
  const required = adapter.requiredScopes();
  let peakUsagePct = 0;
  let cursor: string | undefined;
  for (;;) {
    // Dead tokens never come back: a re-link rewrites those rows, so the sweep leaves them alone.
    const rows = await db.connection.findMany({
      where: { provider: adapter.id, state: { in: ["connected", "permissions_missing"] }, tokenUnreadableAt: null, ...(cursor ? { id: { gt: cursor } } : {}) },
      orderBy: { id: "asc" },
      take: o.pageSize ?? 1000,
      select: SELECT,
    });
    summary.dbStatements++;
    if (rows.length === 0) return { stopped: false, peakUsagePct };
    cursor = rows[rows.length - 1]!.id;

    const tokens = await readPageTokens(db, rows, o.clock.now());
    summary.dbStatements += tokens.statements;
    const checked = await adapter.checkTokens!(tokens.list, o.ctx);
    summary.graphRequests += checked.requests;
    summary.waitedMs += checked.waitedMs;
    summary.dbStatements += checked.statements ?? 0;
    peakUsagePct = Math.max(peakUsagePct, checked.peakUsagePct ?? 0);
    const page = await writeCheckResults(db, rows as SweptConnection[], checked.results, { now: o.clock.now(), requiredScopes: required });
    summary.checked += page.checked;
    summary.changed += page.changed;
    summary.unchanged += page.unchanged;
    summary.failed += page.failed;
    summary.dbStatements += page.statements;
    for (const [k, n] of Object.entries(page.transitions)) summary.transitions[k] = (summary.transitions[k] ?? 0) + n;

    if (o.signal?.aborted) return { stopped: true, peakUsagePct };
  }
}

const TOKEN_SELECT = { id: true, access_token: true, refresh_token: true, expires_at: true, scope: true } as const;

/**
 * The page's tokens, opened by the vault. A token that will not decrypt (key removed, row
 * tampered) fails only its own connection: the page is re-read row by row to find it, and the
 * connection records the fact (its status becomes "needs re-link").
 */
async function readPageTokens(db: Db, rows: readonly { id: string; accountId: string }[], now: Date) {
  const byAccount = new Map(rows.map((r) => [r.accountId, r.id]));
  const read = await readTokens(() => db.account.findMany({ where: { id: { in: [...byAccount.keys()] } }, select: TOKEN_SELECT }));
  let statements = 1;
  type Row = { id: string; access_token: string | null; refresh_token: string | null; expires_at: number | null; scope: string | null };
  let accounts: Row[] = [];
  if (read.ok) accounts = read.value;
  else {
    for (const [accountId, connectionId] of byAccount) {
      statements++;
      const one = await readTokens(() => db.account.findUnique({ where: { id: accountId }, select: TOKEN_SELECT }));
      if (one.ok && one.value) accounts.push(one.value);
      else if (!one.ok) {
        statements++;
        await markTokenUnreadable(db, connectionId, now);
      }
    }
  }
  const list = accounts.flatMap((a): { key: string; tokens: StoredTokens }[] =>
    a.access_token ? [{ key: byAccount.get(a.id)!, tokens: { accessToken: a.access_token, refreshToken: a.refresh_token, expiresAt: a.expires_at, scope: a.scope } }] : [],
  );
  return { list, statements };
}
