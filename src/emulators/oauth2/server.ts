import { listen, type ListenOptions as AdapterOptions } from "../node-adapter";

/** An OAuth sandbox on a real port (through the shared node adapter), for tests and `npm run sandbox`. */

export type SandboxServer<S> = { url: string; sandbox: S; close: () => Promise<void> };

export type ListenOptions = Pick<AdapterOptions, "port" | "host">;

export async function serveSandbox<S extends (request: Request) => Promise<Response>>(sandbox: S, o: ListenOptions = {}): Promise<SandboxServer<S>> {
  const server = await listen(sandbox, { port: o.port ?? 0, host: o.host ?? "127.0.0.1", failureBody: (message) => ({ error: { message } }) });
  return { url: server.url, sandbox, close: server.close };
}
