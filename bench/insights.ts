import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { createAppClient } from "@/server/db/vault";
import { parseKeyRing } from "@/server/crypto";
import { metaSandbox } from "@kit/meta-sandbox";
import { seedLinkedConnection } from "@kit/seed";
import { addDays, localDate } from "@/lib/insights/date-range";
import { getInsights } from "@/server/insights/get-insights";
import type { InsightsResult } from "@/server/insights/types";
import { createTestDatabase } from "@kit/db";

/**
 * npm run bench:insights — a 90-day daily range for one ad account (the solo persona), on one
 * in-memory PGlite database served over the wire protocol (as in dev), with the Meta sandbox in
 * process:
 *   cold  = nothing cached: async report run (POST, polls on the sandbox's virtual clock, results)
 *           + parsing + writing 90 days;
 *   warm  = the same request answered from the cache.
 * Prints the median of each, their ratio, and the Graph requests each made (sandbox request log).
 * The virtual clock is advanced between polls, so "cold" measures our work, not Meta's queue.
 */
const ROUNDS = 7;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function main() {
  process.env.TEST_DB_BACKEND = "pglite";
  const database = await createTestDatabase();
  const db = createAppClient(database.url, parseKeyRing(`bench:${randomBytes(32).toString("base64")}`), { max: 5 });
  try {
    const cold: number[] = [];
    const warm: number[] = [];
    let coldRequests: string[] = [];
    let warmRequests: string[] = [];
    let polls = 0;
    let days = 0;
    for (let round = 0; round <= ROUNDS; round++) {
      // A fresh sandbox and user per round: every cold run starts with an empty cache.
      const kit = metaSandbox({ sandbox: { seed: 900 + round } });
      const { sandbox, graph } = kit;
      const seeded = await seedLinkedConnection(db, kit, { persona: "solo", selectAdAccount: 0 });
      const linked = { userId: seeded.userId, adAccountId: seeded.adAccount!.adAccountId, timeZone: seeded.adAccount!.timeZone };
      const deps = { graph, now: () => new Date(sandbox.control.now()) };
      const today = localDate(linked.timeZone, deps.now());
      const range = { custom: { since: addDays(today, -90), until: addDays(today, -1) } };
      const log = () => sandbox.control.requestLog().map((e) => `${e.method} ${e.path.replace(/^\/v\d+\.\d+/, "")}`);

      sandbox.control.clearRequestLog();
      let t0 = performance.now();
      let result: InsightsResult = await getInsights(db, linked.userId, linked.adAccountId, range, { deps });
      let roundPolls = 0;
      while (result.status === "running") {
        // What the panel does after `pollAfterMs`, with Meta's clock moved instead of waiting.
        sandbox.control.advanceClock(result.pollAfterMs * 4);
        roundPolls++;
        result = await getInsights(db, linked.userId, linked.adAccountId, range, { deps, runId: result.runId });
      }
      const tCold = performance.now() - t0;
      const coldLog = log();
      if (result.status !== "ready" || result.source !== "meta") throw new Error("cold run did not come from Meta");

      sandbox.control.clearRequestLog();
      t0 = performance.now();
      const again = await getInsights(db, linked.userId, linked.adAccountId, range, { deps });
      const tWarm = performance.now() - t0;
      if (again.status !== "ready" || again.source !== "cache") throw new Error("warm run did not come from the cache");
      if (round === 0) continue; // warm-up
      cold.push(tCold);
      warm.push(tWarm);
      coldRequests = coldLog;
      warmRequests = log();
      polls = roundPolls;
      days = again.daily.length;
    }
    const c = median(cold);
    const w = median(warm);
    console.log(`insights, 90-day range (${days} daily rows), 1 ad account, median of ${ROUNDS} rounds`);
    console.log(`  cold (sandbox, async report run, ${polls} follow-up polls): ${c.toFixed(1)} ms, Graph requests: ${coldRequests.length}`);
    for (const r of coldRequests) console.log(`      ${r}`);
    console.log(`  warm (cache):                                  ${w.toFixed(1)} ms, Graph requests: ${warmRequests.length}`);
    console.log(`  cold / warm: ${(c / w).toFixed(1)}×`);
  } finally {
    await db.$disconnect();
    await database.close();
  }
}

await main();
