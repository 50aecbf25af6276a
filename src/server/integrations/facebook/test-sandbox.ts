import { createMetaSandbox, DEFAULT_APP, type MetaSandbox, type SandboxOptions } from "@/emulators/meta";
import { createGraphClient, type GraphClient, type GraphClientOptions } from "./client";

/**
 * For tests: a Meta sandbox in this process and a Graph client wired to it through the `fetch`
 * option (no sockets). `wrapFetch` lets a test observe or break individual calls.
 */
export const SANDBOX_GRAPH_URL = "http://graph.sandbox.test";

export function sandboxGraph(
  o: {
    sandbox?: SandboxOptions;
    client?: Partial<GraphClientOptions>;
    wrapFetch?: (next: typeof fetch) => typeof fetch;
  } = {},
): { sandbox: MetaSandbox; graph: GraphClient; calls: Request[] } {
  const sandbox = createMetaSandbox(o.sandbox);
  const calls: Request[] = [];
  const direct: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    calls.push(request.clone());
    return sandbox(request);
  };
  const app = sandbox.apps[0] ?? DEFAULT_APP;
  const graph = createGraphClient({
    appId: app.appId,
    appSecret: app.appSecret,
    graphUrl: SANDBOX_GRAPH_URL,
    graphVersion: "v25.0",
    fetch: o.wrapFetch ? o.wrapFetch(direct) : direct,
    ...o.client,
  });
  return { sandbox, graph, calls };
}
