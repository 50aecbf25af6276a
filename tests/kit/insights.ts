import type { Db } from "@/server/db";
import { getInsights, type GetInsightsOptions } from "@/server/insights/get-insights";
import type { RangeInput } from "@/lib/insights/schema";
import type { InsightsReady, InsightsResult, InsightsRunning } from "@/server/insights/types";
import { metaSandbox } from "./meta-sandbox";
import { seedLinkedConnection } from "./seed";

/** Shared by the insights DB tests: a sandbox on a fixed virtual clock and a linked user. */

// A Saturday noon UTC: every zone the sandbox uses is on the same calendar day or close to it.
export const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
export const MINUTE = 60_000;
export const HOUR = 3_600_000;

let seed = 500;

/** A linked user on a fresh in-process sandbox whose clock starts at T0, with helpers. */
export async function linkedUser(db: Db, persona = "solo", accountIndex = 0, wrapFetch?: (next: typeof fetch) => typeof fetch) {
  const kit = metaSandbox({ sandbox: { seed: ++seed, now: () => T0 }, wrapFetch });
  const { sandbox, graph } = kit;
  const seeded = await seedLinkedConnection(db, kit, { persona, selectAdAccount: accountIndex, fields: { tokenExpiresAt: new Date(T0 + 60 * 86_400_000), dataAccessExpiresAt: null } });
  const { adAccountId, rowId: adAccountRowId, currency, timeZone } = seeded.adAccount!;
  const rows = { userId: seeded.userId, connectionId: seeded.connectionId, adAccountRowId, adAccountId, currency, timeZone, token: seeded.token };
  const { userId } = rows;
  // Rate-limit holds are per act_ id and every test's sandbox starts at T0: start each test unheld.
  await db.rateLimit.deleteMany({});
  const now = () => new Date(sandbox.control.now());
  const insights = (range: RangeInput, opts: Omit<GetInsightsOptions, "deps"> = {}) =>
    getInsights(db, userId, adAccountId, range, { ...opts, deps: { graph, now } });
  /** Graph requests since the last call to `requests()`, as "METHOD path". */
  const requests = () => {
    const log = sandbox.control.requestLog().map((e) => `${e.method} ${e.path.replace(/^\/v\d+\.\d+/, "")}`);
    sandbox.control.clearRequestLog();
    return log;
  };
  return { ...kit, ...rows, now, insights, requests };
}

/** The answer, asserted to be a ready one (with the actual answer in the failure message). */
export function ready(result: InsightsResult): InsightsReady {
  if (result.status !== "ready") throw new Error(`expected a ready answer, got ${JSON.stringify(result)}`);
  return result;
}

/** The answer, asserted to be a running async report. */
export function running(result: InsightsResult): InsightsRunning {
  if (result.status !== "running") throw new Error(`expected a running answer, got ${JSON.stringify(result)}`);
  return result;
}
