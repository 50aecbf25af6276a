import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmtpSink, type SmtpSink } from "@kit/smtp-sink";
import { createTestDatabase, type TestDatabase } from "@kit/db";

/** `npm run mail:test` and `npm run mail:status`, run as real processes against a real SMTP server. */
const run = promisify(execFile);
let tdb: TestDatabase;
let sink: SmtpSink;

beforeAll(async () => {
  tdb = await createTestDatabase();
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink?.close();
  await tdb?.close();
});

async function cli(script: string, args: string[] = []): Promise<{ code: number; stdout: string }> {
  const env = {
    PATH: process.env.PATH,
    NODE_ENV: "test" as const,
    DATABASE_URL: tdb.url,
    ENCRYPTION_KEYS: `cli:${randomBytes(32).toString("base64")}`,
    AUTH_SECRET: randomBytes(33).toString("base64"),
    SMTP_URL: sink.url,
    MAIL_FROM: "Linkboard <no-reply@linkboard.test>",
    LOG_LEVEL: "silent",
  };
  try {
    const { stdout } = await run(process.execPath, ["node_modules/tsx/dist/cli.mjs", "--import", "./scripts/server-only.mjs", script, ...args], { env });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

describe("mail CLIs", () => {
  it("mail:test sends through the SMTP server, and a refusal shows in mail:status", async () => {
    const sent = await cli("scripts/mail-test.ts", ["ops@example.com"]);
    expect(sent).toEqual({ code: 0, stdout: "Sent to ops@example.com via SMTP: accepted as SINK1\n" });
    expect(sink.received[0]!.subject).toBe("Linkboard test mail");

    sink.failNext({ at: "rcpt", code: 550, message: "5.1.1 No such mailbox" });
    const refused = await cli("scripts/mail-test.ts", ["nobody@example.com"]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^Not sent \(failed\): .*550 5\.1\.1 No such mailbox/);

    const status = await cli("scripts/mail-status.ts");
    expect(status.code).toBe(0);
    expect(status.stdout).toContain("Mail goes to the SMTP server (SMTP_URL)\n  last 24 h: sent 1, waiting 0, sending 0, failed 1\n  latest failures (1):\n");
    expect(status.stdout).toMatch(/action-needed {2}to nobody@example\.com {2}after 1 attempt\(s\)/);
    expect(status.stdout).toContain("550 5.1.1 No such mailbox");
  });
});
