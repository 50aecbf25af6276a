import { createMetaSandbox, DEFAULT_APP, type MetaSandbox, type SandboxOptions } from "@/emulators/meta";
import type { Clock } from "@/server/clock";
import { createFacebookAdapter, type FacebookAdapterOptions } from "@/server/integrations/facebook";
import { createGraphClient, type GraphClient, type GraphClientOptions } from "@/server/integrations/facebook/client";
import { createRegistry, type Registry } from "@/server/integrations/registry";
import type { ProviderAdapter } from "@/server/integrations/types";

/**
 * THE sandbox Graph wiring for tests and benchmarks: a Meta sandbox in this process, reached without
 * sockets through the `fetch` option, with
 * - `graph`: a Graph client on it (every request also lands in `calls`);
 * - `graphOptions(wrap)`: the same settings for clients an adapter builds itself (the sweep's);
 * - `adapter()` / `registry()`: the Facebook adapter wired to it, for services that take a registry;
 * - `clock` + `advance`: a fake clock that IS the sandbox's virtual clock (frozen unless advanced;
 *   a back-off "sleeps" by advancing it).
 */
export const SANDBOX_GRAPH_URL = "http://graph.sandbox.test";

export type Wrap = (next: typeof fetch) => typeof fetch;

export type MetaSandboxKit = {
  sandbox: MetaSandbox;
  graph: GraphClient;
  calls: Request[];
  graphOptions: (wrap?: Wrap) => Partial<GraphClientOptions>;
  adapter: (o?: Omit<FacebookAdapterOptions, "graph" | "client"> & { wrap?: Wrap }) => ProviderAdapter;
  registry: (o?: Omit<FacebookAdapterOptions, "graph" | "client"> & { wrap?: Wrap }) => Registry;
  clock: Clock & { sleeps: number[] };
  advance: (ms: number) => void;
};

export function metaSandbox(o: { sandbox?: SandboxOptions; client?: Partial<GraphClientOptions>; wrapFetch?: Wrap } = {}): MetaSandboxKit {
  const sandbox = createMetaSandbox(o.sandbox);
  const calls: Request[] = [];
  const direct: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    calls.push(request.clone());
    return sandbox(request);
  };
  const app = sandbox.apps[0] ?? DEFAULT_APP;
  const graphOptions = (wrap?: Wrap): Partial<GraphClientOptions> => {
    const chain = o.wrapFetch ? o.wrapFetch(direct) : direct;
    return { appId: app.appId, appSecret: app.appSecret, graphUrl: SANDBOX_GRAPH_URL, graphVersion: "v25.0", fetch: wrap ? wrap(chain) : chain, ...o.client };
  };
  const graph = createGraphClient(graphOptions() as GraphClientOptions);
  const adapter: MetaSandboxKit["adapter"] = (a = {}) => {
    const options = graphOptions(a.wrap);
    return createFacebookAdapter({ ...a, graph: options, client: a.wrap ? createGraphClient(options as GraphClientOptions) : graph });
  };
  const base = sandbox.control.now();
  let offset = 0;
  const advance = (ms: number) => {
    offset += ms;
    sandbox.control.advanceClock(ms);
  };
  const sleeps: number[] = [];
  return {
    sandbox,
    graph,
    calls,
    graphOptions,
    adapter,
    registry: (a) => createRegistry([adapter(a)]),
    advance,
    clock: {
      sleeps,
      now: () => new Date(base + offset),
      sleep: async (ms) => {
        sleeps.push(ms);
        advance(ms);
      },
    },
  };
}
