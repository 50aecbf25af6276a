/**
 * The Meta sandbox alone: `npm run sandbox -- --port 4010 [--app-id ID --app-secret S
 * --redirect-uri URL[,URL]] [--seed N] [--host H] [--require-proof] [--live]`.
 * Another platform: `--provider x|linkedin|tiktok|youtube|pinterest|threads [--client-id ID
 * --client-secret S --redirect-uri URL[,URL]]` (scripts/sandbox-oauth.ts).
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { DEFAULT_APP } from "../src/emulators/meta";
import { startSandboxServer } from "../src/emulators/meta/server";
import { runOAuthSandbox } from "./sandbox-oauth";

const { values } = parseArgs({
  options: {
    provider: { type: "string", default: "meta" },
    "client-id": { type: "string" },
    "client-secret": { type: "string" },
    port: { type: "string", default: "4010" },
    host: { type: "string", default: "127.0.0.1" },
    "app-id": { type: "string" },
    "app-secret": { type: "string" },
    "redirect-uri": { type: "string" },
    seed: { type: "string" },
    "require-proof": { type: "boolean", default: false },
    live: { type: "boolean", default: false },
  },
});

// Every other platform is an OAuth 2.0 sandbox; its runner owns the process until it stops.
if (values.provider !== "meta") await runOAuthSandbox(values);

const args = z
  .object({
    port: z.coerce.number().int().min(0).max(65535),
    host: z.string(),
    appId: z.string().regex(/^\d+$/, "--app-id must be digits").default(DEFAULT_APP.appId),
    appSecret: z.string().min(8).default(DEFAULT_APP.appSecret),
    redirectUris: z.array(z.string().url()).default(DEFAULT_APP.redirectUris),
    seed: z.coerce.number().int().optional(),
  })
  .safeParse({
    port: values.port,
    host: values.host,
    appId: values["app-id"],
    appSecret: values["app-secret"],
    redirectUris: values["redirect-uri"]?.split(",").map((x) => x.trim()).filter(Boolean),
    seed: values.seed,
  });

if (!args.success) {
  process.stderr.write(`${z.prettifyError(args.error)}\n`);
  process.exit(2);
}

const a = args.data;
const server = await startSandboxServer({
  port: a.port,
  host: a.host,
  seed: a.seed,
  apps: [
    {
      appId: a.appId,
      appSecret: a.appSecret,
      redirectUris: a.redirectUris,
      requireAppSecretProof: values["require-proof"],
      mode: values.live ? "live" : "development",
    },
  ],
});

process.stdout.write(
  `Meta sandbox listening on ${server.url}\n` +
    `  dialog:   ${server.url}/v25.0/dialog/oauth\n` +
    `  graph:    ${server.url}/v25.0/me\n` +
    `  controls: ${server.url}/_control/personas\n` +
    `  app id ${a.appId}, redirect URIs: ${a.redirectUris.join(", ")}\n`,
);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`Received ${signal}, stopping the Meta sandbox\n`);
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
