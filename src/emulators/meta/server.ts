import { listen } from "../node-adapter";
import { keepSandboxState, type PersistOptions, type SandboxStore } from "../persistence";
import { createMetaSandbox, type MetaSandbox } from "./sandbox";
import type { SandboxOptions } from "./types";

/** The sandbox on a real port (node:http ⇄ Web Request/Response), for tests and `npm run sandbox`. */

export type SandboxServer = { url: string; sandbox: MetaSandbox; store: SandboxStore | null; close: () => Promise<void> };

export type SandboxServerOptions = SandboxOptions & {
  port?: number;
  host?: string;
  /** Keep the state in `<dataDir>/sandboxes/meta.json` across restarts (none: memory only). */
  persist?: PersistOptions;
};

export async function startSandboxServer(options: SandboxServerOptions = {}): Promise<SandboxServer> {
  const { port = 0, host = "127.0.0.1", persist, ...sandboxOptions } = options;
  const sandbox = createMetaSandbox(sandboxOptions);
  const kept = keepSandboxState(sandbox, "meta", persist);
  const server = await listen(kept.track(sandbox), { port, host, failureBody: (message) => ({ error: { message, type: "OAuthException", code: 1 } }) }).catch(
    async (error: unknown) => {
      await kept.close();
      throw error;
    },
  );
  return {
    url: server.url,
    sandbox,
    store: kept.store,
    close: async () => {
      await server.close();
      await kept.close();
    },
  };
}
