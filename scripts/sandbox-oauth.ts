/**
 * One OAuth platform sandbox alone (`npm run sandbox -- --provider x --port 4105`): the dialog,
 * token endpoint and profile API of X, LinkedIn, TikTok, YouTube, Pinterest or Threads at one base URL.
 */
import { z } from "zod";
import { OAUTH_SANDBOXES, type ProviderId } from "../src/emulators/oauth2";

const overrides = z.object({
  clientId: z.string().min(1).optional(),
  clientSecret: z.string().min(8).optional(),
  redirectUris: z.array(z.string().url()).optional(),
});

/** Starts the sandbox, prints its endpoints and returns its `close`. */
export async function startOAuthSandbox(
  provider: ProviderId,
  o: { port: number; host: string; clientId?: string; clientSecret?: string; redirectUris?: string },
): Promise<() => Promise<void>> {
  const parsed = overrides.safeParse({
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    redirectUris: o.redirectUris?.split(",").map((x) => x.trim()).filter(Boolean),
  });
  if (!parsed.success) {
    process.stderr.write(`${z.prettifyError(parsed.error)}\n`);
    process.exit(2);
  }
  const entry = OAUTH_SANDBOXES[provider];
  const client = { ...entry.defaultClient, ...Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) };
  const server = await entry.start({ port: o.port, host: o.host, clients: [client] });
  const { sandbox, url } = server;
  const lines = Object.entries(sandbox.describe.endpoints).map(([name, e]) => {
    const m = /^(GET|POST) (\/\S*)(.*)$/.exec(e);
    return `  ${`${name}:`.padEnd(11)} ${m ? `${m[1]} ${url}${m[2]}${m[3]}` : e}`;
  });
  process.stdout.write(
    `${sandbox.platform} sandbox (${provider}) listening on ${url}\n${lines.join("\n")}\n` +
      `  ${"controls:".padEnd(11)} ${url}/_control\n` +
      `  lifetimes:  ${Object.entries(sandbox.describe.lifetimes).map(([k, v]) => `${k} ${v}`).join("; ")}\n` +
      `  client id ${client.clientId}, redirect URIs: ${client.redirectUris.join(", ")}\n` +
      `  personas: ${sandbox.control.personas().map((p) => p.id).join(", ")} (approve at once with &sandbox_persona=<id>)\n`,
  );
  return server.close;
}
