import { randomBytes } from "node:crypto";
import { mkdirSync, openSync, readFileSync, writeSync, closeSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { resolveDataDir } from "./data-dir";

/**
 * All configuration, in one zod schema. next.config.mjs loads this module, so a malformed value
 * fails the build with a readable message; a missing production secret stops start-up with one
 * message naming every missing variable (docs: README "Configuration").
 */
export const SANDBOX_APP = {
  appId: "1000000000000001",
  appSecret: "sandbox-app-secret-0000000000000001",
} as const;

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

// One sender: "address" or "Display Name <address>", one line (it becomes the From header).
const MAILBOX = /^(?:[^<>\x00-\x1f",;]*<[^<>\s@,;]+@[^<>\s@,;]+>|[^<>\s@,;]+@[^<>\s@,;]+)$/;
const DEV_MAIL_FROM = "Linkboard <linkboard@localhost>";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: optionalText.pipe(z.string().regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL").optional()),
  AUTH_SECRET: optionalText.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  AUTH_URL: optionalText.pipe(z.url().optional()),
  AUTH_URL_ALLOW_HTTP: z.enum(["0", "1"], { error: 'must be "1" (allow) or "0"' }).optional(),
  ENCRYPTION_KEYS: optionalText,
  META_APP_ID: optionalText.pipe(z.string().regex(/^\d+$/, "must be the numeric App ID").optional()),
  META_APP_SECRET: optionalText,
  META_GRAPH_VERSION: z.string().regex(/^v\d+\.\d+$/, 'must look like "v25.0"').default("v25.0"),
  META_GRAPH_URL: optionalText.pipe(z.url().optional()),
  META_WEB_URL: optionalText.pipe(z.url().optional()),
  META_SCOPES: z.string().default("ads_read,business_management"),
  META_SANDBOX: z.enum(["0", "1"], { error: 'must be "1" (on) or "0" (off)' }).optional(),
  DATA_DIR: optionalText,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
  HEALTH_EXPIRING_DAYS: z.coerce.number().int().min(1, "must be at least 1").max(60, "must be at most 60").default(7),
  HEALTH_SWEEP_INTERVAL_MINUTES: z.coerce.number().int().min(0, "must be 0 (off) or more").max(10_080, "must be at most a week").default(360),
  SIGN_IN_MAX_PER_MINUTE: z.coerce.number().int().min(10, "must be at least 10").max(100_000, "must be at most 100000").default(300),
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0, "must be 0 (no proxy) or more").max(5, "must be at most 5").default(0),
  META_SIGNED_REQUEST_MAX_AGE_SECONDS: z.coerce.number().int().min(60, "must be at least 60").max(86_400, "must be at most a day").default(3600),
  WORKERS_IN_SERVER: z.enum(["0", "1"], { error: 'must be "1" (on) or "0" (off)' }).default("1"),
  OUTBOUND_ALLOW_PRIVATE_HOSTS: z.enum(["0", "1"], { error: 'must be "1" (on) or "0" (off)' }).optional(),
  OUTBOUND_ALLOW_PRIVATE_HOSTS_IN_PRODUCTION: z.enum(["0", "1"], { error: 'must be "1" (on) or "0" (off)' }).optional(),
  // The message never repeats the value: it may hold the mail server's password.
  SMTP_URL: optionalText.pipe(z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL, e.g. smtp://user:password@smtp.example.com:587" }).optional()),
  MAIL_FROM: optionalText.pipe(z.string().max(200, "must be at most 200 characters").regex(MAILBOX, 'must be an address or "Name <address>"').optional()),
});

export type RawEnv = z.infer<typeof schema>;

export type ServerEnv = {
  nodeEnv: RawEnv["NODE_ENV"];
  databaseUrl?: string;
  authSecret: string;
  authUrl: string;
  encryptionKeys: string;
  /** DATA_DIR resolved: the embedded database, development secrets and sandbox state live here. */
  dataDir: string;
  /** Reverse proxies in front of the app that append to X-Forwarded-For (0: trust none). */
  trustedProxyHops: number;
  /** Ceiling on sign-in attempts per minute across all clients (argon2 is deliberately expensive). */
  signInMaxPerMinute: number;
  sandbox: boolean;
  meta: {
    appId: string;
    appSecret: string;
    graphVersion: string;
    graphUrl: string;
    webUrl: string;
    scopes: string[];
    /** How old a callback's `signed_request` (`issued_at`) may be before it is refused. */
    signedRequestMaxAgeSeconds: number;
  };
  health: {
    /** A connection whose token or data access ends within this many days is "expiring". */
    expiringDays: number;
    /** The in-server sweep's period; 0 = no scheduled sweep. */
    sweepIntervalMinutes: number;
  };
  jobs: {
    /** Whether the app server also runs job workers (and recurring jobs); off → only `npm run worker` does. */
    workersInServer: boolean;
  };
  outbound: {
    /** Calls to user-supplied hosts may reach private, loopback and plain-http hosts (tests, local development). */
    allowPrivateHosts: boolean;
  };
  mail: {
    /** "smtp" when SMTP_URL is set; "outbox" (development and tests only): stored for /dev/mail, never sent. */
    transport: "smtp" | "outbox";
    /** Holds the mail server's password: never log it. */
    smtpUrl?: string;
    /** The From header. */
    from: string;
  };
};

export class EnvError extends Error {
  readonly code = "CONFIG_ERROR";
  constructor(message: string) {
    super(message);
    this.name = "EnvError";
  }
}

const HINTS: Record<string, string> = {
  AUTH_URL: "the public https:// address of the app, e.g. https://linkboard.example.com (cookies, redirects and callback URLs use it)",
  AUTH_SECRET: "generate one with `openssl rand -base64 33`",
  ENCRYPTION_KEYS: "`kid:base64key`, e.g. `k1:$(openssl rand -base64 32)`; see docs/operations.md",
  META_APP_ID: "the App ID from the Meta app dashboard (docs/meta-app-setup.md); for a test rig, a standalone sandbox's (`npm run sandbox -- --app-id`)",
  META_APP_SECRET: "the App Secret from the Meta app dashboard (Settings → Basic)",
  SMTP_URL: "the mail server, e.g. `smtp://user:password@smtp.example.com:587` (`smtps://` for TLS from the start); see README \"Mail\"",
  MAIL_FROM: "the sender of every mail, e.g. `Linkboard <no-reply@example.com>`",
};

const devSecretsFile = (dataDir: string | undefined) => path.join(resolveDataDir(dataDir), "dev-secrets.json");

/** Development only: secrets generated once into .data/ so `npm run dev` needs no .env. */
function devSecrets(dataDir: string | undefined): { AUTH_SECRET: string; ENCRYPTION_KEYS: string } {
  const file = devSecretsFile(dataDir);
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    mkdirSync(path.dirname(file), { recursive: true });
    const secrets = {
      AUTH_SECRET: randomBytes(33).toString("base64"),
      ENCRYPTION_KEYS: `dev1:${randomBytes(32).toString("base64")}`,
    };
    try {
      const fd = openSync(file, "wx", 0o600);
      writeSync(fd, JSON.stringify(secrets, null, 2));
      closeSync(fd);
      return secrets;
    } catch {
      // Another process wrote it first: use theirs.
      return JSON.parse(readFileSync(file, "utf8"));
    }
  }
}

export function loadEnv(source: Record<string, string | undefined> = process.env): ServerEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `- ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Invalid environment:\n${lines.join("\n")}`);
  }
  const raw = parsed.data;
  const production = raw.NODE_ENV === "production";
  const invalid: string[] = [];
  if (production && raw.META_SANDBOX === "1") {
    // The sandbox signs callbacks, moves clocks and hands out tokens on request: never in production.
    invalid.push(
      "- META_SANDBOX: the Meta sandbox never runs in production (it simulates Facebook Login and serves test controls).\n" +
        "  Set META_APP_ID and META_APP_SECRET for a real Meta app, or point META_GRAPH_URL and META_WEB_URL at a standalone sandbox (`npm run sandbox`) for a test rig.",
    );
  }
  if (production && raw.AUTH_URL?.startsWith("http://") && raw.AUTH_URL_ALLOW_HTTP !== "1") {
    invalid.push("- AUTH_URL: must be an https:// URL in production (session cookies are only marked Secure over https); AUTH_URL_ALLOW_HTTP=1 allows http for an isolated test rig.");
  }
  if (invalid.length > 0) throw new EnvError(`Invalid environment:\n${invalid.join("\n")}`);
  const sandbox = raw.META_SANDBOX ? raw.META_SANDBOX === "1" : !raw.META_APP_ID && !production;

  let { AUTH_SECRET: authSecret, ENCRYPTION_KEYS: encryptionKeys } = raw;
  if (!production && (!authSecret || !encryptionKeys)) {
    const generated = devSecrets(raw.DATA_DIR);
    authSecret ??= generated.AUTH_SECRET;
    encryptionKeys ??= generated.ENCRYPTION_KEYS;
  }
  // Local Mastodon sandboxes live on loopback: allowed by default only under `npm run dev`.
  const allowPrivateHosts = raw.OUTBOUND_ALLOW_PRIVATE_HOSTS ? raw.OUTBOUND_ALLOW_PRIVATE_HOSTS === "1" : raw.NODE_ENV === "development";
  if (production && allowPrivateHosts && raw.OUTBOUND_ALLOW_PRIVATE_HOSTS_IN_PRODUCTION !== "1") {
    throw new EnvError(
      "Invalid environment:\n- OUTBOUND_ALLOW_PRIVATE_HOSTS: refused in production (it would let user-typed server addresses reach private networks); " +
        "unset it, or also set OUTBOUND_ALLOW_PRIVATE_HOSTS_IN_PRODUCTION=1 on an isolated test rig",
    );
  }

  const missing: string[] = [];
  if (!authSecret) missing.push("AUTH_SECRET");
  if (!encryptionKeys) missing.push("ENCRYPTION_KEYS");
  if (production && !raw.AUTH_URL) missing.push("AUTH_URL");
  if (!sandbox && !raw.META_APP_ID) missing.push("META_APP_ID");
  if (!sandbox && !raw.META_APP_SECRET) missing.push("META_APP_SECRET");
  // Outside production, mail without a server goes to the development outbox (/dev/mail).
  if (production && !raw.SMTP_URL) missing.push("SMTP_URL");
  if (production && !raw.MAIL_FROM) missing.push("MAIL_FROM");
  if (missing.length > 0) {
    const lines = missing.map((name) => `- ${name}: ${HINTS[name] ?? "required"}`);
    throw new EnvError(`Missing required environment variables:\n${lines.join("\n")}`);
  }

  const authUrl = (raw.AUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "");
  const sandboxUrl = `${authUrl}/sandbox/meta`;
  return {
    nodeEnv: raw.NODE_ENV,
    databaseUrl: raw.DATABASE_URL,
    authSecret: authSecret!,
    authUrl,
    encryptionKeys: encryptionKeys!,
    dataDir: resolveDataDir(raw.DATA_DIR),
    trustedProxyHops: raw.TRUSTED_PROXY_HOPS,
    signInMaxPerMinute: raw.SIGN_IN_MAX_PER_MINUTE,
    sandbox,
    meta: {
      // The in-app sandbox only ever knows its own throwaway app: a real secret configured next to
      // it would otherwise sign sandbox callbacks that the real app accepts.
      appId: sandbox ? SANDBOX_APP.appId : raw.META_APP_ID!,
      appSecret: sandbox ? SANDBOX_APP.appSecret : raw.META_APP_SECRET!,
      graphVersion: raw.META_GRAPH_VERSION,
      graphUrl: (raw.META_GRAPH_URL ?? (sandbox ? sandboxUrl : "https://graph.facebook.com")).replace(/\/+$/, ""),
      webUrl: (raw.META_WEB_URL ?? (sandbox ? sandboxUrl : "https://www.facebook.com")).replace(/\/+$/, ""),
      scopes: raw.META_SCOPES.split(/[\s,]+/).filter(Boolean),
      signedRequestMaxAgeSeconds: raw.META_SIGNED_REQUEST_MAX_AGE_SECONDS,
    },
    health: {
      expiringDays: raw.HEALTH_EXPIRING_DAYS,
      sweepIntervalMinutes: raw.HEALTH_SWEEP_INTERVAL_MINUTES,
    },
    jobs: { workersInServer: raw.WORKERS_IN_SERVER === "1" },
    outbound: { allowPrivateHosts },
    mail: {
      transport: raw.SMTP_URL ? "smtp" : "outbox",
      smtpUrl: raw.SMTP_URL,
      from: raw.MAIL_FROM ?? DEV_MAIL_FROM,
    },
  };
}

const cache = globalThis as unknown as { __linkboardEnv?: ServerEnv };

/** The process's configuration, parsed once. */
export function env(): ServerEnv {
  cache.__linkboardEnv ??= loadEnv();
  return cache.__linkboardEnv;
}
