/**
 * One OAuth platform sandbox alone (`npm run sandbox -- --provider x --port 4105`): the dialog,
 * token endpoint and profile API of X, LinkedIn, TikTok, YouTube, Pinterest or Threads at one base URL.
 */
import { z } from "zod";
import { OAUTH_PROVIDER_IDS, OAUTH_SANDBOXES } from "../src/emulators/oauth2";

export type OAuthSandboxArgs = {
  provider?: string;
  port?: string;
  host?: string;
  "client-id"?: string;
  "client-secret"?: string;
  "redirect-uri"?: string;
};

const schema = z.object({
  provider: z.enum(OAUTH_PROVIDER_IDS as [string, ...string[]]),
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string(),
  clientId: z.string().min(1).optional(),
  clientSecret: z.string().min(8).optional(),
  redirectUris: z.array(z.string().url()).optional(),
});

/** Runs until SIGINT / SIGTERM, then exits the process. */
export async function runOAuthSandbox(values: OAuthSandboxArgs): Promise<never> {
  const parsed = schema.safeParse({
    provider: values.provider,
    port: values.port,
    host: values.host,
    clientId: values["client-id"],
    clientSecret: values["client-secret"],
    redirectUris: values["redirect-uri"]?.split(",").map((x) => x.trim()).filter(Boolean),
  });
  if (!parsed.success) {
    process.stderr.write(`${z.prettifyError(parsed.error)}\n(--provider is meta or one of: ${OAUTH_PROVIDER_IDS.join(", ")})\n`);
    process.exit(2);
  }
  const a = parsed.data;
  const entry = OAUTH_SANDBOXES[a.provider as keyof typeof OAUTH_SANDBOXES];
  const client = {
    ...entry.defaultClient,
    ...(a.clientId ? { clientId: a.clientId } : {}),
    ...(a.clientSecret ? { clientSecret: a.clientSecret } : {}),
    ...(a.redirectUris ? { redirectUris: a.redirectUris } : {}),
  };
  const server = await entry.start({ port: a.port, host: a.host, clients: [client] });
  const { sandbox, url } = server;
  const lines = Object.entries(sandbox.describe.endpoints).map(([name, e]) => {
    const m = /^(GET|POST) (\/\S*)(.*)$/.exec(e);
    return `  ${`${name}:`.padEnd(11)} ${m ? `${m[1]} ${url}${m[2]}${m[3]}` : e}`;
  });
  process.stdout.write(
    `${sandbox.platform} sandbox (${a.provider}) listening on ${url}\n${lines.join("\n")}\n` +
      `  ${"controls:".padEnd(11)} ${url}/_control\n` +
      `  lifetimes:  ${Object.entries(sandbox.describe.lifetimes).map(([k, v]) => `${k} ${v}`).join("; ")}\n` +
      `  client id ${client.clientId}, redirect URIs: ${client.redirectUris.join(", ")}\n` +
      `  personas: ${sandbox.control.personas().map((p) => p.id).join(", ")} (approve at once with &sandbox_persona=<id>)\n`,
  );
  return new Promise<never>(() => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(`Received ${signal}, stopping the ${sandbox.platform} sandbox\n`);
      server.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on("SIGINT", () => stop("SIGINT"));
    process.on("SIGTERM", () => stop("SIGTERM"));
  });
}
