import "server-only";
import { realClock, type Clock } from "@/server/clock";
import type { Db } from "@/server/db";
import { markTokenUnreadable } from "@/server/connections/read-connection-tokens";
import { registry as defaultRegistry, type Registry } from "@/server/integrations/registry";
import type { CheckContext, ProviderAdapter, StoredTokens } from "@/server/integrations/types";
import { logger } from "@/server/logger";
import { readTokens } from "@/server/vault/read-tokens";
import { acquireLease, newHolderId, releaseLease, renewLease } from "./job-lease";
import { writeCheckResults, type SweptConnection } from "./write-check-results";

/**
 * The health sweep: for every provider whose adapter can check tokens, every connection that still
 * has a live token is checked (in the platform's batches) and its status, expiries and last check
 * are written back. One sweep at a time across processes (job-lease.ts); the second caller
 * returns `{ ran: false }` at once.
 *
 * Work goes provider by provider, page by page (keyset on id) so memory and transactions stay small
 * with any number of connections; the lease is renewed after each page and before each long
 * back-off, and a sweep that finds its lease taken over stops.
 */
export const SWEEP_JOB = "health-sweep";

export type SweepOptions = {
  trigger?: "cli" | "schedule" | "test" | "bench";
  clock?: Clock;
  /** The providers to sweep; default: every registered one. */
  registry?: Registry;
  pageSize?: number;
  leaseTtlMs?: number;
  holder?: string;
} & Pick<CheckContext, "batchSize" | "concurrency" | "retries" | "maxThrottleRounds">;

export type SweepSummary = {
  ran: boolean;
  reason?: "locked" | "lease_lost";
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
  const ttlMs = o.leaseTtlMs ?? 15 * 60_000;
  const holder = o.holder ?? newHolderId();
  const summary: SweepSummary = { ran: false, checked: 0, changed: 0, unchanged: 0, failed: 0, transitions: {}, graphRequests: 0, dbStatements: 0, waitedMs: 0, durationMs: 0 };

  const lease = await acquireLease(db, { name: SWEEP_JOB, holder, ttlMs, now: started });
  summary.dbStatements++;
  if (!lease) return { ...summary, reason: "locked", durationMs: Math.round(performance.now() - startedMs) };
  summary.ran = true;

  const ctx: CheckContext = {
    // A long back-off must not outlive the lease: renew it first, for the wait plus a margin.
    clock: {
      now: clock.now,
      sleep: async (ms) => {
        await renewLease(db, lease, { ttlMs: ms + ttlMs, now: clock.now() });
        summary.dbStatements++;
        await clock.sleep(ms);
      },
    },
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
      const result = await sweepProvider(db, adapter, { ...o, ctx, lease, ttlMs, clock, summary });
      peakUsagePct = Math.max(peakUsagePct, result.peakUsagePct);
      if (result.leaseLost) {
        outcome = "lease_lost";
        summary.reason = "lease_lost";
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
    if (outcome !== "lease_lost") await releaseLease(db, lease);
    summary.dbStatements += outcome !== "lease_lost" ? 2 : 1;
    logger.info({ sweep: { ...summary, transitions: summary.transitions } }, "health sweep finished");
  }
  return summary;
}

async function sweepProvider(
  db: Db,
  adapter: ProviderAdapter,
  o: SweepOptions & { ctx: CheckContext; lease: { name: string; holder: string }; ttlMs: number; clock: Clock; summary: SweepSummary },
): Promise<{ leaseLost: boolean; peakUsagePct: number }> {
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
    if (rows.length === 0) return { leaseLost: false, peakUsagePct };
    cursor = rows[rows.length - 1]!.id;

    const tokens = await readPageTokens(db, rows, o.clock.now());
    summary.dbStatements += tokens.statements;
    const checked = await adapter.checkTokens!(tokens.list, o.ctx);
    summary.graphRequests += checked.requests;
    summary.waitedMs += checked.waitedMs;
    peakUsagePct = Math.max(peakUsagePct, checked.peakUsagePct ?? 0);
    const page = await writeCheckResults(db, rows as SweptConnection[], checked.results, { now: o.clock.now(), requiredScopes: required });
    summary.checked += page.checked;
    summary.changed += page.changed;
    summary.unchanged += page.unchanged;
    summary.failed += page.failed;
    summary.dbStatements += page.statements;
    for (const [k, n] of Object.entries(page.transitions)) summary.transitions[k] = (summary.transitions[k] ?? 0) + n;

    summary.dbStatements++;
    if (!(await renewLease(db, o.lease, { ttlMs: o.ttlMs, now: o.clock.now() }))) return { leaseLost: true, peakUsagePct };
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
