/**
 * `npm run test:e2e`: builds the app, starts it as a deployment runs it (`npm start`'s own script,
 * NODE_ENV=production, a fresh embedded database) against the standalone Meta sandbox, runs the
 * browser journeys, and stops both. Set E2E_SKIP_BUILD=1 to reuse an existing .next build.
 */
import { spawnSync } from "node:child_process";
import { prepareProductionServer, startProductionServer } from "../helpers/production-server";

const prepared = await prepareProductionServer("e2e");

if (!process.env.E2E_SKIP_BUILD) {
  const started = Date.now();
  const build = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { stdio: "inherit", env: prepared.env });
  if (build.status !== 0) process.exit(build.status ?? 1);
  console.log(`next build took ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

const server = await startProductionServer(prepared);
let code = 1;
try {
  const tests = spawnSync(
    process.execPath,
    ["node_modules/vitest/vitest.mjs", "run", "--config", "tests/e2e/vitest.config.ts", ...process.argv.slice(2)],
    { stdio: "inherit", env: { ...process.env, E2E_BASE_URL: server.baseUrl, E2E_SANDBOX_URL: server.sandboxUrl, DATA_DIR: server.dataDir } },
  );
  code = tests.status ?? 1;
} finally {
  await server.stop();
}
process.exit(code);
