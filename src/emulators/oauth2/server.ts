import { listen, type ListenOptions as AdapterOptions } from "../node-adapter";
import { keepSandboxState, type PersistOptions, type SandboxStore, type StatefulSandbox } from "../persistence";

/** An OAuth sandbox on a real port (through the shared node adapter), for tests and `npm run sandbox`. */

export type SandboxServer<S> = { url: string; sandbox: S; store: SandboxStore | null; close: () => Promise<void> };

export type ListenOptions = Pick<AdapterOptions, "port" | "host"> & {
  /** Keep the state in `<dataDir>/sandboxes/<provider>.json` across restarts (none: memory only). */
  persist?: PersistOptions;
};

export async function serveSandbox<S extends ((request: Request) => Promise<Response>) & StatefulSandbox & { provider: string }>(
  sandbox: S,
  o: ListenOptions = {},
): Promise<SandboxServer<S>> {
  const kept = keepSandboxState(sandbox, sandbox.provider, o.persist);
  const server = await listen(kept.track(sandbox), { port: o.port ?? 0, host: o.host ?? "127.0.0.1", failureBody: (message) => ({ error: { message } }) }).catch(
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
