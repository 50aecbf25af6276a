/**
 * The Meta sandbox alone: `npm run sandbox -- --port 4010 [--app-id ID --app-secret S
 * --redirect-uri URL[,URL]] [--seed N] [--host H] [--require-proof] [--live] [--data-dir DIR] [--reset]`.
 * Its state is kept in `<data dir>/sandboxes/meta.json` (the app's DATA_DIR, `.data` by default).
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { DEFAULT_APP } from "../src/emulators/meta";
import { startSandboxServer } from "../src/emulators/meta/server";
import { RESET_FORGETS } from "../src/emulators/persistence";
import { resolveDataDir } from "../src/data-dir";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4010" },
    host: { type: "string", default: "127.0.0.1" },
    "app-id": { type: "string" },
    "app-secret": { type: "string" },
    "redirect-uri": { type: "string" },
    seed: { type: "string" },
    "require-proof": { type: "boolean", default: false },
    live: { type: "boolean", default: false },
    "data-dir": { type: "string" },
    reset: { type: "boolean", default: false },
  },
});

const args = z
  .object({
    port: z.coerce.number().int().min(0).max(65535),
    host: z.string(),
    appId: z.string().regex(/^\d+$/, "--app-id must be digits").default(DEFAULT_APP.appId),
    appSecret: z.string().min(8).default(DEFAULT_APP.appSecret),
    redirectUris: z.array(z.string().url()).default(DEFAULT_APP.redirectUris),
    seed: z.coerce.number().int().optional(),
    dataDir: z.string(),
  })
  .safeParse({
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

const STATE_NOTE = {
  fresh: "nothing saved yet",
  loaded: "loaded: tokens, grants and the clock from the last run",
  reset: `reset: forgot ${RESET_FORGETS}`,
  ignored: "the saved state could not be used and was set aside",
} as const;

const a = args.data;
const server = await startSandboxServer({
  port: a.port,
  host: a.host,
  seed: a.seed,
  dataDir: a.dataDir,
  reset: values.reset,
  log: (message) => process.stderr.write(`${message}\n`),
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
    `  app id ${a.appId}, redirect URIs: ${a.redirectUris.join(", ")}\n` +
    `  state:    ${server.store?.file} (${STATE_NOTE[server.store?.outcome ?? "fresh"]})\n`,
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
