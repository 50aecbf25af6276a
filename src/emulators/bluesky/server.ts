import { listen } from "../node-adapter";
import { keepSandboxState, type PersistOptions, type SandboxStore } from "../persistence";
import { createBlueskySandbox, type BlueskySandbox, type BlueskySandboxOptions } from "./sandbox";

/** The Bluesky sandbox on a real port, for tests over HTTP and `npm run sandbox -- --provider bluesky`. */

export type BlueskyServer = { url: string; sandbox: BlueskySandbox; store: SandboxStore | null; close: () => Promise<void> };

export async function startBlueskyServer(
  options: BlueskySandboxOptions & { port?: number; host?: string; persist?: PersistOptions } = {},
): Promise<BlueskyServer> {
  const { port, host, persist, ...sandboxOptions } = options;
  const sandbox = createBlueskySandbox(sandboxOptions);
  const kept = keepSandboxState(sandbox, "bluesky", persist);
  const server = await listen(kept.track(sandbox), { port, host }).catch(async (error: unknown) => {
    await kept.close();
    throw error;
  });
  return {
    url: `${server.url}${sandbox.basePath}`,
    sandbox,
    store: kept.store,
    close: async () => {
      await server.close();
      await kept.close();
    },
  };
}
