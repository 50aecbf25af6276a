import { env } from "../src/env";
import { parseKeyRing } from "../src/server/crypto";
import { findEmbeddedDatabase } from "../src/server/db/embedded";
import { applyMigrations } from "../src/server/db/migrate";
import { createAppClient } from "../src/server/db/vault";
import { createJobQueue } from "../src/server/jobs/create-job-queue";
import { JOBS } from "../src/server/jobs/job-registry";

/**
 * `npm run worker`: job workers (and the recurring jobs) without a web server, on the app's
 * database — DATABASE_URL, or the embedded database of the running dev/prod server. Start as many
 * as you like beside any number of app servers (set WORKERS_IN_SERVER=0 on the servers to keep
 * them out of it). SIGTERM / SIGINT: stop taking jobs, give running ones time to finish, exit 0.
 * Runbook: docs/operations.md, "Background jobs".
 */
const STOP_TIMEOUT_MS = Number(process.env.WORKER_STOP_TIMEOUT_MS ?? 20_000);

const config = env();
const url = config.databaseUrl ?? findEmbeddedDatabase();
if (!url) {
  console.error("No database to work on: set DATABASE_URL, or start the app first (`npm run dev` / `npm start`) so its embedded database is served.");
  process.exit(1);
}
await applyMigrations(url);
const db = createAppClient(url, parseKeyRing(config.encryptionKeys), { max: 5 });
const queue = createJobQueue({ url, db, jobs: JOBS });

let stopping = false;
const stop = async (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  console.log(`Worker ${process.pid}: ${signal}, stopping (running jobs get ${Math.round(STOP_TIMEOUT_MS / 1000)} s to finish)…`);
  await queue.stop({ timeoutMs: STOP_TIMEOUT_MS });
  await db.$disconnect();
  console.log(`Worker ${process.pid} stopped.`);
  process.exit(0);
};
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));

await queue.work();
console.log(`Worker ${process.pid} running jobs: ${JOBS.map((job) => job.name).join(", ")}`);
