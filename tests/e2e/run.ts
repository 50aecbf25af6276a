/**
 * `npm run test:e2e`: builds the app, starts the production server (`npm start`'s own script) on a
 * fresh embedded database with the Meta sandbox, runs the browser journeys, and stops the server.
 * Set E2E_SKIP_BUILD=1 to reuse an existing .next build.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "../helpers/free-port";


async function waitForServer(url: string, server: ReturnType<typeof spawn>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`The server exited with code ${server.exitCode} before it was ready.`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`The server did not answer at ${url} within ${timeoutMs / 1000}s.`);
}

const port = await freePort();
const baseUrl = `http://localhost:${port}`;
const dataDir = mkdtempSync(path.join(tmpdir(), "linkboard-e2e-"));
const serverEnv: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  PORT: String(port),
  AUTH_URL: baseUrl,
  AUTH_SECRET: randomBytes(33).toString("base64"),
  ENCRYPTION_KEYS: `e2e:${randomBytes(32).toString("base64")}`,
  META_SANDBOX: "1",
  DATA_DIR: dataDir,
  LOG_LEVEL: "warn",
};
delete serverEnv.DATABASE_URL;

if (!process.env.E2E_SKIP_BUILD) {
  const started = Date.now();
  const build = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { stdio: "inherit", env: serverEnv });
  if (build.status !== 0) process.exit(build.status ?? 1);
  console.log(`next build took ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

const server = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/start.ts"], {
  env: serverEnv,
  stdio: ["ignore", "inherit", "inherit"],
});
let code = 1;
try {
  await waitForServer(`${baseUrl}/api/health`, server);
  const tests = spawnSync(
    process.execPath,
    ["node_modules/vitest/vitest.mjs", "run", "--config", "tests/e2e/vitest.config.ts", ...process.argv.slice(2)],
    { stdio: "inherit", env: { ...process.env, E2E_BASE_URL: baseUrl, DATA_DIR: dataDir } },
  );
  code = tests.status ?? 1;
} finally {
  server.kill("SIGTERM");
  await new Promise((resolve) => server.once("exit", resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(code);
