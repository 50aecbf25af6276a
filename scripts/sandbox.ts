/**
 * One provider's sandbox alone: `npm run sandbox -- [--provider meta|bluesky|mastodon|x|linkedin|tiktok|youtube|pinterest|threads] [--port N] [--host H]`.
 * meta (default, port 4010): `[--app-id ID --app-secret S --redirect-uri URL[,URL]] [--seed N] [--require-proof] [--live]
 * [--webhook-url URL] [--webhooks-subscribed]` (permissions webhooks go to URL, on a redirect URI's origin).
 * bluesky (port 4020): one PDS. mastodon (ports 4030…): one server per port, from --port upward.
 * x, linkedin, tiktok, youtube, pinterest, threads (ports 4041–4046): `[--client-id ID --client-secret S
 * --redirect-uri URL[,URL]]` (scripts/sandbox-oauth.ts).
 * Every sandbox keeps its state in `<data dir>/sandboxes/<provider>.json` (`--data-dir DIR`, default the
 * app's DATA_DIR, else `.data`); `--reset` starts it clean.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { resolveDataDir } from "../src/data-dir";
import { startBlueskyServer } from "../src/emulators/bluesky";
import { startMastodonServers } from "../src/emulators/mastodon";
import { DEFAULT_APP } from "../src/emulators/meta";
import { startSandboxServer } from "../src/emulators/meta/server";
import { OAUTH_PROVIDER_IDS } from "../src/emulators/oauth2";
import { type PersistOptions } from "../src/emulators/persistence";
import { startOAuthSandbox } from "./sandbox-oauth";
import { stateLine } from "./sandbox-state-line";

const { values } = parseArgs({
  options: {
    provider: { type: "string", default: "meta" },
    "client-id": { type: "string" },
    "client-secret": { type: "string" },
    port: { type: "string" },
    host: { type: "string", default: "127.0.0.1" },
    "app-id": { type: "string" },
    "app-secret": { type: "string" },
    "redirect-uri": { type: "string" },
    seed: { type: "string" },
    "require-proof": { type: "boolean", default: false },
    live: { type: "boolean", default: false },
    "webhook-url": { type: "string" },
    "webhooks-subscribed": { type: "boolean", default: false },
    "data-dir": { type: "string" },
    reset: { type: "boolean", default: false },
  },
});

const DEFAULT_PORT = { meta: 4010, bluesky: 4020, mastodon: 4030, x: 4041, linkedin: 4042, tiktok: 4043, youtube: 4044, pinterest: 4045, threads: 4046 } as const;
const PROVIDERS = ["meta", "bluesky", "mastodon", ...OAUTH_PROVIDER_IDS] as const;

const args = z
  .object({
    provider: z.enum(PROVIDERS, { error: `--provider must be one of ${PROVIDERS.join(", ")}` }),
    port: z.coerce.number().int().min(0).max(65535).optional(),
    host: z.string(),
    appId: z.string().regex(/^\d+$/, "--app-id must be digits").default(DEFAULT_APP.appId),
    appSecret: z.string().min(8).default(DEFAULT_APP.appSecret),
    redirectUris: z.array(z.string().url()).default(DEFAULT_APP.redirectUris),
    seed: z.coerce.number().int().optional(),
    dataDir: z.string(),
  })
  .safeParse({
    provider: values.provider,
    port: values.port,
    host: values.host,
    appId: values["app-id"],
    appSecret: values["app-secret"],
    redirectUris: values["redirect-uri"]?.split(",").map((x) => x.trim()).filter(Boolean),
    seed: values.seed,
    dataDir: resolveDataDir(values["data-dir"] ?? process.env.DATA_DIR),
  });

if (!args.success) {
  process.stderr.write(`${z.prettifyError(args.error)}\n`);
  process.exit(2);
}

const a = args.data;
const port = a.port ?? DEFAULT_PORT[a.provider];
const persist: PersistOptions = { dataDir: a.dataDir, reset: values.reset, log: (message) => process.stderr.write(`${message}\n`) };

async function startMeta() {
  const server = await startSandboxServer({
    port,
    host: a.host,
    seed: a.seed,
    persist,
    apps: [
      {
        appId: a.appId,
        appSecret: a.appSecret,
        redirectUris: a.redirectUris,
        requireAppSecretProof: values["require-proof"],
        mode: values.live ? "live" : "development",
        webhookUrl: values["webhook-url"],
      },
    ],
    webhooks: { subscribed: values["webhooks-subscribed"] },
  });
  const webhooks = server.sandbox.control.webhookSubscribed() ? "subscribed" : `subscribe with POST ${server.url}/_control/webhooks/verify {verifyToken}`;
  process.stdout.write(
    `Meta sandbox listening on ${server.url}\n` +
      `  dialog:   ${server.url}/v25.0/dialog/oauth\n` +
      `  graph:    ${server.url}/v25.0/me\n` +
      `  controls: ${server.url}/_control/personas\n` +
      `  settings: ${server.url}/settings (the sandbox user's apps, permissions and Pages)\n` +
      `  app id ${a.appId}, redirect URIs: ${a.redirectUris.join(", ")}\n` +
      `  permissions webhooks: ${server.sandbox.apps[0]?.webhookUrl ?? "-"} (${webhooks})\n` +
      stateLine(server.store),
  );
  return server.close;
}

async function startBluesky() {
  const server = await startBlueskyServer({ port, host: a.host, persist });
  const zoe = server.sandbox.control.personas()[0]!;
  process.stdout.write(
    `Bluesky sandbox (PDS) listening on ${server.url}\n` +
      `  xrpc:     ${server.url}/xrpc/com.atproto.server.createSession\n` +
      `  controls: ${server.url}/_control/personas (handles and app passwords)\n` +
      `  try:      ${zoe.handle} with app password ${zoe.quickConnect?.appPassword}\n` +
      stateLine(server.store),
  );
  return server.close;
}

async function startMastodon() {
  const ids = ["mastodon", "legacy", "glitch"];
  const servers = await startMastodonServers({ host: a.host, persist, ports: Object.fromEntries(ids.map((id, i) => [id, port === 0 ? 0 : port + i])) });
  const lines = servers.sandbox.control.servers().map((s) => `  ${servers.urls[s.id]}  ${s.title} (${s.domain}, Mastodon ${s.version})`);
  process.stdout.write(`Mastodon sandbox: one server per port\n${lines.join("\n")}\n  controls: {server}/_control/personas\n${stateLine(servers.store)}`);
  return servers.close;
}

const close =
  a.provider === "meta" || a.provider === "bluesky" || a.provider === "mastodon"
    ? await { meta: startMeta, bluesky: startBluesky, mastodon: startMastodon }[a.provider]()
    : await startOAuthSandbox(a.provider, { port, host: a.host, clientId: values["client-id"], clientSecret: values["client-secret"], redirectUris: values["redirect-uri"], persist });

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`Received ${signal}, stopping the ${a.provider} sandbox\n`);
  close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
