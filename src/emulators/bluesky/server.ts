import { listen } from "../node-adapter";
import { createBlueskySandbox, type BlueskySandbox, type BlueskySandboxOptions } from "./sandbox";

/** The Bluesky sandbox on a real port, for tests over HTTP and `npm run sandbox -- --provider bluesky`. */

export type BlueskyServer = { url: string; sandbox: BlueskySandbox; close: () => Promise<void> };

export async function startBlueskyServer(options: BlueskySandboxOptions & { port?: number; host?: string } = {}): Promise<BlueskyServer> {
  const { port, host, ...sandboxOptions } = options;
  const sandbox = createBlueskySandbox(sandboxOptions);
  const server = await listen(sandbox, { port, host });
  return { url: `${server.url}${sandbox.basePath}`, sandbox, close: server.close };
}
