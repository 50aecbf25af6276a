import { env } from "../src/env";
import { parseKeyRing } from "../src/server/crypto";
import { createAppClient } from "../src/server/db/vault";
import { withScriptDatabase } from "../src/server/db/script-database";
import { createJobQueue } from "../src/server/jobs/create-job-queue";
import { JOBS } from "../src/server/jobs/job-registry";

/**
 * `npm run jobs:status [-- --json]`: per job, how many wait, retry and run now, the outcomes of the
 * last day, the last error, and for recurring jobs the period last enqueued. Read-only.
 */
const json = process.argv.includes("--json");
const when = (d: Date | null) => (d ? d.toISOString().replace(/\.\d{3}Z$/, "Z") : "—");

const config = env();
await withScriptDatabase(async (url) => {
  const db = createAppClient(url, parseKeyRing(config.encryptionKeys), { max: 2 });
  const queue = createJobQueue({ url, db, jobs: JOBS, maintenance: false, scheduleEveryMs: 0, poolSize: 2 });
  try {
    const [stats, schedules] = await Promise.all([queue.stats(), db.jobSchedule.findMany()]);
    const rows = stats.map((s) => ({ ...s, lastPeriod: schedules.find((r) => r.name === s.name)?.slotAt ?? null }));
    if (json) {
      console.log(JSON.stringify(rows, null, 2));
      return;
    }
    for (const r of rows) {
      console.log(`${r.name}`);
      console.log(`  waiting ${r.queued} (oldest ${when(r.oldestQueuedAt)}), retrying ${r.retrying}, running ${r.active}`);
      console.log(`  last 24 h: completed ${r.completed} (last ${when(r.lastCompletedAt)}), failed ${r.failed} (last ${when(r.lastFailedAt)}), cancelled ${r.cancelled}`);
      if (r.lastError) console.log(`  last error: ${r.lastError}`);
      if (r.lastPeriod) console.log(`  recurring: last period enqueued ${when(r.lastPeriod)}`);
    }
  } finally {
    await queue.stop({ timeoutMs: 1_000 });
    await db.$disconnect();
  }
});
