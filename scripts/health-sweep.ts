import { env } from "../src/env";
import { parseKeyRing } from "../src/server/crypto";
import { createAppClient } from "../src/server/db/vault";
import { withScriptDatabase } from "../src/server/db/script-database";
import { healthSweepJob } from "../src/server/health/health-sweep-job";
import type { SweepSummary } from "../src/server/health/sweep-connections";
import { createJobQueue } from "../src/server/jobs/create-job-queue";
import { countConnectionsByHealth } from "../src/server/ops/list-ops-connections";

/**
 * `npm run health:sweep`: checks every Facebook connection with Meta now and prints a summary.
 * It queues the same `health-sweep` job the servers run on their schedule and works that job
 * itself, so it finishes whether or not a server or worker is running — and when one of them
 * takes the job first, this waits for that run. One sweep at a time: if one is already waiting,
 * nothing more is queued. Prints counts and codes, never a token.
 */
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const config = env();
const code = await withScriptDatabase(async (url) => {
  const db = createAppClient(url, parseKeyRing(config.encryptionKeys), { max: 4 });
  const queue = createJobQueue({ url, db, jobs: [healthSweepJob], pollingSeconds: 0.5, maintenance: false, scheduleEveryMs: 0 });
  try {
    const id = await queue.enqueue(healthSweepJob, { trigger: "cli" });
    if (!id) {
      console.log("A health sweep is already queued and will run shortly; nothing more was queued.");
      return 0;
    }
    await queue.work();
    const done = await waitForJob(queue, id);
    if (done.state !== "completed") {
      const error = (done.output as { error?: { message?: string } } | null)?.error?.message ?? "unknown error";
      console.log(`Health sweep ${done.state}: ${error}`);
      return 1;
    }
    const s = done.output as SweepSummary;
    console.log(`Health sweep ${s.reason === "stopped" ? "stopped early" : "finished"} in ${seconds(s.durationMs)}`);
    console.log(`  checked    ${s.checked}  (changed ${s.changed}, unchanged ${s.unchanged})`);
    console.log(`  not checked ${s.failed}  (Meta unavailable, throttled or token unreadable: status left as it was)`);
    console.log(`  Graph requests ${s.graphRequests}, DB statements ${s.dbStatements}, waited for rate limits ${seconds(s.waitedMs)}`);
    const changes = Object.entries(s.transitions);
    if (changes.length > 0) console.log(`  changes: ${changes.map(([k, n]) => `${k.replace("->", " → ")} ${n}`).join(", ")}`);
    const counts = await countConnectionsByHealth(db, { now: new Date(), expiringDays: config.health.expiringDays });
    const { total, ...byHealth } = counts;
    console.log(`Connections now: ${total} — ${Object.entries(byHealth).map(([h, n]) => `${h} ${n}`).join(", ")}`);
    if (s.failed > 0 && s.checked === 0) {
      console.log(`Nothing could be checked. Is Meta reachable at ${config.meta.graphUrl}?${config.sandbox ? " (sandbox mode: the app server must be running)" : ""}`);
      return 1;
    }
    return 0;
  } finally {
    await queue.stop({ timeoutMs: 5_000 });
    await db.$disconnect();
  }
});
process.exit(code);

/** Until the job has an outcome (a failed run that will be retried counts as its outcome here). */
async function waitForJob(queue: ReturnType<typeof createJobQueue>, id: string) {
  for (;;) {
    const job = await queue.job(healthSweepJob.name, id);
    if (job && (job.state === "completed" || job.state === "failed" || job.state === "retry" || job.state === "cancelled")) return job;
    // Another process may be running it: nothing to await but the row.
    await new Promise((r) => setTimeout(r, 500));
  }
}
