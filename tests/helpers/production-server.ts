import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./free-port";
import { startSmtpSink, type SmtpSink } from "./smtp-sink";

/**
 * The production server as `npm start` runs it (scripts/start.ts over an existing `next build`),
 * on a free port with throwaway secrets, the Meta sandbox on, a real SMTP server of its own to send
 * mail to (each accepted message saved as `DATA_DIR/smtp-sink/<n>.eml`), and a fresh embedded
 * database — or `databaseUrl` when given. Used by the browser journeys and the benchmarks.
 */
export function productionEnv(o: { port: number; dataDir: string; label: string; smtpUrl: string; databaseUrl?: string }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(o.port),
    AUTH_URL: `http://localhost:${o.port}`,
    AUTH_SECRET: randomBytes(33).toString("base64"),
    ENCRYPTION_KEYS: `${o.label}:${randomBytes(32).toString("base64")}`,
    META_SANDBOX: "1",
    DATA_DIR: o.dataDir,
    LOG_LEVEL: "warn",
    SMTP_URL: o.smtpUrl,
    MAIL_FROM: "Linkboard <no-reply@linkboard.test>",
  };
  if (o.databaseUrl) env.DATABASE_URL = o.databaseUrl;
  else delete env.DATABASE_URL;
  return env;
}

/** `stop({ keepDataDir: true })` leaves the data directory for a restart with the same `prepared`. */
export type ProductionServer = { baseUrl: string; dataDir: string; env: NodeJS.ProcessEnv; stop: (o?: { keepDataDir?: boolean }) => Promise<void> };

/** Where the server's SMTP sink saves what it accepts. */
export const sinkDir = (dataDir: string) => path.join(dataDir, "smtp-sink");

export async function prepareProductionServer(label: string, databaseUrl?: string) {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), `linkboard-${label}-`));
  const sink: SmtpSink = await startSmtpSink({ saveTo: sinkDir(dataDir) });
  return { port, dataDir, sink, env: productionEnv({ port, dataDir, label, smtpUrl: sink.url, databaseUrl }) };
}

export async function startProductionServer(
  prepared: Awaited<ReturnType<typeof prepareProductionServer>>,
  o: { stdout?: "inherit" | "ignore"; timeoutMs?: number } = {},
): Promise<ProductionServer> {
  const baseUrl = `http://localhost:${prepared.port}`;
  const server = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: prepared.env,
    stdio: ["ignore", o.stdout ?? "inherit", "inherit"],
  });
  const stop = async (s: { keepDataDir?: boolean } = {}) => {
    if (server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((resolve) => server.once("exit", resolve));
    }
    if (!s.keepDataDir) {
      await prepared.sink.close();
      rmSync(prepared.dataDir, { recursive: true, force: true });
    }
  };
  const deadline = Date.now() + (o.timeoutMs ?? 60_000);
  for (;;) {
    if (server.exitCode !== null) {
      await stop();
      throw new Error(`The server exited with code ${server.exitCode} before it was ready.`);
    }
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The server did not answer at ${baseUrl} in time.`);
    }
    // Polling a process we do not control; nothing to await instead.
    await new Promise((r) => setTimeout(r, 200));
  }
  return { baseUrl, dataDir: prepared.dataDir, env: prepared.env, stop };
}
