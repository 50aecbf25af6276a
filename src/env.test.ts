import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EnvError, loadEnv, SANDBOX_APP } from "./env";

const MAIL = { SMTP_URL: "smtp://mailer:secret@smtp.example.com:587", MAIL_FROM: "Linkboard <no-reply@example.com>" };
const dirs: string[] = [];
function dataDir() {
  const dir = mkdtempSync(path.join(tmpdir(), "linkboard-env-"));
  dirs.push(dir);
  return dir;
}
const production = {
  NODE_ENV: "production",
  AUTH_SECRET: "x".repeat(40),
  ENCRYPTION_KEYS: "k:abc",
  AUTH_URL: "https://app.example.com",
  META_APP_ID: "123",
  META_APP_SECRET: "s",
  ...MAIL,
};

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("environment", () => {
  it("in production, names every missing variable with a hint in one message", () => {
    expect(() => loadEnv({ NODE_ENV: "production" })).toThrow(
      /Missing required environment variables:\n- AUTH_SECRET: .+\n- ENCRYPTION_KEYS: .+\n- AUTH_URL: .+\n- META_APP_ID: .+\n- META_APP_SECRET: .+\n- SMTP_URL: the mail server, .+\n- MAIL_FROM: the sender .+$/,
    );
  });

  it("rejects malformed values with a readable message", () => {
    expect(() => loadEnv({ NODE_ENV: "development", META_GRAPH_VERSION: "25", DATA_DIR: dataDir() })).toThrow(/META_GRAPH_VERSION: must look like "v25.0"/);
    expect(() => loadEnv({ NODE_ENV: "development", DATABASE_URL: "mysql://x", DATA_DIR: dataDir() })).toThrow(/DATABASE_URL/);
  });

  it("in development, generates the secrets once into the data directory and reuses them", () => {
    const dir = dataDir();
    const first = loadEnv({ NODE_ENV: "development", DATA_DIR: dir });
    const second = loadEnv({ NODE_ENV: "development", DATA_DIR: dir });
    expect(first.authSecret.length).toBeGreaterThanOrEqual(32);
    expect(first.encryptionKeys).toMatch(/^dev1:[A-Za-z0-9+/]{43}=$/);
    expect(second.authSecret).toBe(first.authSecret);
    expect(JSON.parse(readFileSync(path.join(dir, "dev-secrets.json"), "utf8")).ENCRYPTION_KEYS).toBe(first.encryptionKeys);
  });

  it("turns the sandbox on without a Meta app outside production, and points Meta URLs at it", () => {
    const config = loadEnv({ NODE_ENV: "development", DATA_DIR: dataDir(), AUTH_URL: "http://localhost:4000/" });
    expect(config.sandbox).toBe(true);
    expect(config.meta).toMatchObject({
      appId: SANDBOX_APP.appId,
      graphUrl: "http://localhost:4000/sandbox/meta",
      webUrl: "http://localhost:4000/sandbox/meta",
      graphVersion: "v25.0",
      scopes: ["ads_read", "business_management"],
    });
  });

  it("uses the real Meta app when configured", () => {
    const real = loadEnv({ ...production, META_APP_ID: "123", META_APP_SECRET: "s" });
    expect(real.sandbox).toBe(false);
    expect(real.meta.graphUrl).toBe("https://graph.facebook.com");
  });

  it("refuses to start the sandbox in production, with a message that says why", () => {
    expect(() => loadEnv({ ...production, META_SANDBOX: "1" })).toThrow(
      /META_SANDBOX: the Meta sandbox never runs in production.*\n.*META_APP_ID and META_APP_SECRET/,
    );
    expect(() => loadEnv({ ...production, META_SANDBOX: "1" })).toThrow(EnvError);
    // Without a Meta app, production asks for one rather than falling back to the sandbox.
    const { META_APP_ID: _id, META_APP_SECRET: _secret, ...withoutApp } = production;
    expect(() => loadEnv(withoutApp)).toThrow(/- META_APP_ID: /);
  });

  it("never gives the sandbox a real app secret, even when one is configured", () => {
    const config = loadEnv({ NODE_ENV: "development", DATA_DIR: dataDir(), META_SANDBOX: "1", META_APP_ID: "123", META_APP_SECRET: "real-secret" });
    expect(config.sandbox).toBe(true);
    expect(config.meta.appId).toBe(SANDBOX_APP.appId);
    expect(config.meta.appSecret).toBe(SANDBOX_APP.appSecret);
    expect(JSON.stringify(config)).not.toContain("real-secret");
  });

  it("in production, requires AUTH_URL, and an https one unless a test rig says otherwise", () => {
    const { AUTH_URL: _omitted, ...withoutUrl } = production;
    expect(() => loadEnv(withoutUrl)).toThrow(/- AUTH_URL: the public https:\/\/ address/);
    expect(() => loadEnv({ ...production, AUTH_URL: "http://app.example.com" })).toThrow(/AUTH_URL: must be an https:\/\/ URL in production/);
    expect(loadEnv({ ...production, AUTH_URL: "http://localhost:4100", AUTH_URL_ALLOW_HTTP: "1" }).authUrl).toBe("http://localhost:4100");
    expect(loadEnv(production).authUrl).toBe("https://app.example.com");
    // Development keeps its default.
    expect(loadEnv({ NODE_ENV: "development", DATA_DIR: dataDir() }).authUrl).toBe("http://localhost:3000");
  });

  it("runs job workers in the server unless WORKERS_IN_SERVER=0, and refuses anything else", () => {
    expect(loadEnv({ NODE_ENV: "development", DATA_DIR: dataDir() }).jobs.workersInServer).toBe(true);
    expect(loadEnv({ NODE_ENV: "development", DATA_DIR: dataDir(), WORKERS_IN_SERVER: "0" }).jobs.workersInServer).toBe(false);
    expect(() => loadEnv({ NODE_ENV: "development", DATA_DIR: dataDir(), WORKERS_IN_SERVER: "no" })).toThrow(/WORKERS_IN_SERVER: must be "1" \(on\) or "0" \(off\)/);
  });

  it("allows private outbound hosts by default only in development, and on request in tests", () => {
    expect(loadEnv({ NODE_ENV: "development", DATA_DIR: dataDir() }).outbound.allowPrivateHosts).toBe(true);
    expect(loadEnv({ NODE_ENV: "development", DATA_DIR: dataDir(), OUTBOUND_ALLOW_PRIVATE_HOSTS: "0" }).outbound.allowPrivateHosts).toBe(false);
    expect(loadEnv({ NODE_ENV: "test", DATA_DIR: dataDir() }).outbound.allowPrivateHosts).toBe(false);
    expect(loadEnv({ NODE_ENV: "test", DATA_DIR: dataDir(), OUTBOUND_ALLOW_PRIVATE_HOSTS: "1" }).outbound.allowPrivateHosts).toBe(true);
    expect(() => loadEnv({ NODE_ENV: "test", DATA_DIR: dataDir(), OUTBOUND_ALLOW_PRIVATE_HOSTS: "yes" })).toThrow(/OUTBOUND_ALLOW_PRIVATE_HOSTS: must be "1" \(on\) or "0" \(off\)/);
  });

  it("refuses OUTBOUND_ALLOW_PRIVATE_HOSTS in production unless the isolated-rig flag is also set", () => {
    const base = production;
    expect(loadEnv(base).outbound.allowPrivateHosts).toBe(false);
    expect(() => loadEnv({ ...base, OUTBOUND_ALLOW_PRIVATE_HOSTS: "1" })).toThrow(/OUTBOUND_ALLOW_PRIVATE_HOSTS: refused in production/);
    expect(loadEnv({ ...base, OUTBOUND_ALLOW_PRIVATE_HOSTS: "1", OUTBOUND_ALLOW_PRIVATE_HOSTS_IN_PRODUCTION: "1" }).outbound.allowPrivateHosts).toBe(true);
  });

  it("sends mail over SMTP when SMTP_URL is set, and otherwise (never in production) keeps it in the outbox", () => {
    const dev = loadEnv({ NODE_ENV: "development", DATA_DIR: dataDir() });
    expect(dev.mail).toEqual({ transport: "outbox", smtpUrl: undefined, from: "Linkboard <linkboard@localhost>" });
    const smtp = loadEnv({ NODE_ENV: "development", DATA_DIR: dataDir(), ...MAIL });
    expect(smtp.mail).toEqual({ transport: "smtp", smtpUrl: MAIL.SMTP_URL, from: MAIL.MAIL_FROM });
    const { SMTP_URL: _url, MAIL_FROM: _from, ...withoutMail } = production;
    expect(() => loadEnv(withoutMail)).toThrow(/^Missing required environment variables:\n- SMTP_URL: .+\n- MAIL_FROM: .+$/);
    expect(() => loadEnv({ ...withoutMail, SMTP_URL: MAIL.SMTP_URL })).toThrow(/^Missing required environment variables:\n- MAIL_FROM: .+$/);
    expect(loadEnv(production).mail.transport).toBe("smtp");
  });

  it("refuses a malformed SMTP_URL without repeating it, and a MAIL_FROM that is not one sender", () => {
    const dev = { NODE_ENV: "development", DATA_DIR: dataDir() };
    for (const SMTP_URL of ["https://user:hunter2@mail.example.com", "mail.example.com:587", "smtp//x"]) {
      let message = "";
      try {
        loadEnv({ ...dev, SMTP_URL });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, SMTP_URL).toMatch(/SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/);
      expect(message).not.toContain("hunter2");
    }
    expect(loadEnv({ ...dev, SMTP_URL: "smtps://u:p@mail.example.com:465" }).mail.smtpUrl).toBe("smtps://u:p@mail.example.com:465");
    for (const MAIL_FROM of ["no-reply@example.com", "Linkboard Team <no-reply@example.com>"]) expect(loadEnv({ ...dev, MAIL_FROM }).mail.from).toBe(MAIL_FROM);
    for (const MAIL_FROM of ["Linkboard", "a@example.com, b@example.com", "Linkboard <a@example.com>\r\nBcc: eve@example.com", "Doe, John <a@example.com>", "<a@example.com"]) {
      expect(() => loadEnv({ ...dev, MAIL_FROM }), MAIL_FROM).toThrow(/MAIL_FROM: must be an address or "Name <address>"/);
    }
  });
});
