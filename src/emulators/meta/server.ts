import { serveFetchHandler, type FetchServer } from "../node-server";
import { openSandboxStore, persistedHandler, type SandboxStore } from "../persistence";
import { createMetaSandbox, type MetaSandbox } from "./sandbox";
import type { SandboxOptions } from "./types";

/** The sandbox on a real port (node:http ⇄ Web Request/Response), for tests and `npm run sandbox`. */

export type SandboxServer = { url: string; sandbox: MetaSandbox; store: SandboxStore | null; close: () => Promise<void> };

export type SandboxServerOptions = SandboxOptions & {
  port?: number;
  host?: string;
  /** Keep the sandbox's state in `<dataDir>/sandboxes/meta.json` across restarts (none: memory only). */
  dataDir?: string;
  /** With `dataDir`: forget the saved state instead of loading it. */
  reset?: boolean;
  /** Messages about the saved state (default: console.warn). */
  log?: (message: string) => void;
};

export async function startSandboxServer(options: SandboxServerOptions = {}): Promise<SandboxServer> {
  const { port, host, dataDir, reset, log, ...sandboxOptions } = options;
  const sandbox = createMetaSandbox(sandboxOptions);
  const store = dataDir ? openSandboxStore(sandbox, { provider: "meta", dataDir, reset, log }) : null;
  let server: FetchServer;
  try {
    server = await serveFetchHandler(store ? persistedHandler(sandbox, store) : sandbox, { port, host });
  } catch (error) {
    await store?.close();
    throw error;
  }
  return {
    url: server.url,
    sandbox,
    store,
    close: async () => {
      await server.close();
      await store?.close();
    },
  };
}
