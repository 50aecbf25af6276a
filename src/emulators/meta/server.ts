import { serveSandbox, type SandboxServer as Served } from "../serve";
import { createMetaSandbox, type MetaSandbox } from "./sandbox";
import type { SandboxOptions } from "./types";

/** The sandbox on a real port, for tests and `npm run sandbox`. */

export type SandboxServer = Served<MetaSandbox>;

export async function startSandboxServer(options: SandboxOptions & { port?: number; host?: string } = {}): Promise<SandboxServer> {
  const { port = 0, host = "127.0.0.1", ...sandboxOptions } = options;
  return serveSandbox(createMetaSandbox(sandboxOptions), { port, host }, (message) => ({ error: { message, type: "OAuthException", code: 1 } }));
}
