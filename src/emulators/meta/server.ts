import { listen } from "../node-adapter";
import { createMetaSandbox, type MetaSandbox } from "./sandbox";
import type { SandboxOptions } from "./types";

/** The sandbox on a real port (node:http ⇄ Web Request/Response), for tests and `npm run sandbox`. */

export type SandboxServer = { url: string; sandbox: MetaSandbox; close: () => Promise<void> };

export async function startSandboxServer(options: SandboxOptions & { port?: number; host?: string } = {}): Promise<SandboxServer> {
  const { port = 0, host = "127.0.0.1", ...sandboxOptions } = options;
  const sandbox = createMetaSandbox(sandboxOptions);
  const server = await listen(sandbox, { port, host, failureBody: (message) => ({ error: { message, type: "OAuthException", code: 1 } }) });
  return { url: server.url, sandbox, close: server.close };
}
