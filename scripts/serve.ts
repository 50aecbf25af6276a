import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { loadEnv } from "../src/env";
import { DATA_DIR, startEmbeddedDatabase, type EmbeddedDatabase } from "../src/server/db/embedded";
import { applyMigrations } from "../src/server/db/migrate";

/**
 * Shared by `npm run dev` and `npm start`: validate the environment, own the embedded database
 * when DATABASE_URL is unset, apply pending migrations, then run Next with DATABASE_URL pointing
 * at the database. Stopping Next stops the database.
 */
export async function serve(mode: "dev" | "start", args: string[]) {
  let config;
  try {
    config = loadEnv();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedDatabase();
    url = embedded.url;
    console.log(`Embedded database (PGlite) in ${DATA_DIR}, served on ${new URL(url).host}`);
  }
  const result = await applyMigrations(url);
  console.log(
    result.applied.length > 0
      ? `Applied migrations: ${result.applied.join(", ")}`
      : `Database is up to date (${result.alreadyApplied} migrations).`,
  );
  if (config.sandbox) console.log(`Meta sandbox on: Facebook Login and Graph API are simulated at ${config.meta.graphUrl}`);

  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
  const child = spawn(process.execPath, [nextBin, mode, ...args], {
    stdio: "inherit",
    // NEXT_MANUAL_SIG_HANDLE: the server's own handler (src/server/jobs/job-runtime.ts) lets running
    // jobs finish before it exits, which Next's would not wait for.
    env: { NEXT_TELEMETRY_DISABLED: "1", ...process.env, DATABASE_URL: url, NEXT_MANUAL_SIG_HANDLE: "1" },
  });
  const stop = async (code: number) => {
    await embedded?.stop();
    process.exit(code);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => child.kill(signal));
  }
  child.on("exit", (code, signal) => void stop(code ?? (signal ? 0 : 1)));
}
