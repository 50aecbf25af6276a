import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./free-port";
import { startSmtpSink, type SmtpSink } from "./smtp-sink";

/**
 * The app as a real deployment runs it: `npm start` (scripts/start.ts over an existing `next build`)
 * with NODE_ENV=production, a Meta app id and secret, and META_GRAPH_URL / META_WEB_URL pointing at
 * the standalone Meta sandbox (`npm run sandbox`, started here on its own free port and registered
 * with that app's id, secret and callback URL), and a real SMTP server of its own for its mail (each
 * accepted message saved as `DATA_DIR/smtp-sink/<n>.eml`). Throwaway secrets, a fresh embedded
 * database — or `databaseUrl` when given. Used by the browser journeys and the benchmarks.
 */
export type PreparedServer = {
  port: number;
  sandboxPort: number;
  dataDir: string;
  app: { appId: string; appSecret: string };
  sink: SmtpSink;
  env: NodeJS.ProcessEnv;
};

export function productionEnv(o: { port: number; sandboxPort: number; dataDir: string; label: string; app: PreparedServer["app"]; smtpUrl: string; databaseUrl?: string }): NodeJS.ProcessEnv {
  const sandboxUrl = `http://127.0.0.1:${o.sandboxPort}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(o.port),
    AUTH_URL: `http://localhost:${o.port}`,
    // A test rig on loopback: no TLS, so production's https requirement is lifted explicitly.
    AUTH_URL_ALLOW_HTTP: "1",
    AUTH_SECRET: randomBytes(33).toString("base64"),
    ENCRYPTION_KEYS: `${o.label}:${randomBytes(32).toString("base64")}`,
    META_APP_ID: o.app.appId,
    META_APP_SECRET: o.app.appSecret,
    META_GRAPH_URL: sandboxUrl,
    META_WEB_URL: sandboxUrl,
    DATA_DIR: o.dataDir,
    LOG_LEVEL: "warn",
    SMTP_URL: o.smtpUrl,
    MAIL_FROM: "Linkboard <no-reply@linkboard.test>",
  };
  delete env.META_SANDBOX;
  if (o.databaseUrl) env.DATABASE_URL = o.databaseUrl;
  else delete env.DATABASE_URL;
  return env;
}

/** `stop({ keepDataDir: true })` leaves the data directory (app and sandbox state) for a restart with the same `prepared`. */
export type ProductionServer = {
  baseUrl: string;
  sandboxUrl: string;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  stop: (o?: { keepDataDir?: boolean }) => Promise<void>;
};

/** Where the server's SMTP sink saves what it accepts. */
export const sinkDir = (dataDir: string) => path.join(dataDir, "smtp-sink");

export async function prepareProductionServer(label: string, databaseUrl?: string): Promise<PreparedServer> {
  const port = await freePort();
  const sandboxPort = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), `linkboard-${label}-`));
  const app = { appId: "1000000000000777", appSecret: randomBytes(24).toString("base64url") };
  const sink = await startSmtpSink({ saveTo: sinkDir(dataDir) });
  return { port, sandboxPort, dataDir, app, sink, env: productionEnv({ port, sandboxPort, dataDir, label, app, smtpUrl: sink.url, databaseUrl }) };
}

async function stopProcess(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
}

async function waitUntil(child: ChildProcess, url: string, what: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} before it was ready.`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${what} did not answer at ${url} in time.`);
    // Polling a process we do not control; nothing to await instead.
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function startProductionServer(prepared: PreparedServer, o: { stdout?: "inherit" | "ignore"; timeoutMs?: number } = {}): Promise<ProductionServer> {
  const baseUrl = `http://localhost:${prepared.port}`;
  const sandboxUrl = `http://127.0.0.1:${prepared.sandboxPort}`;
  const stdio: ["ignore", "inherit" | "ignore", "inherit"] = ["ignore", o.stdout ?? "inherit", "inherit"];
  const sandbox = spawn(
    process.execPath,
    [
      "--import",
      "./scripts/server-only.mjs",
      "--import",
      "tsx",
      "scripts/sandbox.ts",
      "--port",
      String(prepared.sandboxPort),
      "--app-id",
      prepared.app.appId,
      "--app-secret",
      prepared.app.appSecret,
      "--redirect-uri",
      `${baseUrl}/api/auth/callback/facebook`,
      "--data-dir",
      prepared.dataDir,
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const server = spawn(process.execPath, ["--import", "./scripts/server-only.mjs", "--import", "tsx", "scripts/start.ts"], { env: prepared.env, stdio });
  const stop = async (s: { keepDataDir?: boolean } = {}) => {
    await Promise.all([stopProcess(server), stopProcess(sandbox)]);
    if (!s.keepDataDir) {
      await prepared.sink.close();
      rmSync(prepared.dataDir, { recursive: true, force: true });
    }
  };
  try {
    await waitUntil(sandbox, `${sandboxUrl}/_control/personas`, "The Meta sandbox", o.timeoutMs ?? 60_000);
    await waitUntil(server, `${baseUrl}/api/health`, "The server", o.timeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, sandboxUrl, dataDir: prepared.dataDir, env: prepared.env, stop };
}
