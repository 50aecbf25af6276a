import { listen } from "../node-adapter";
import { createMastodonSandbox, type MastodonSandbox, type MastodonSandboxOptions } from "./sandbox";

/**
 * Every server of a Mastodon sandbox on its own port (its own origin, as instances are), for
 * tests over HTTP, the app's development setup and `npm run sandbox -- --provider mastodon`.
 */

export type MastodonServers = {
  sandbox: MastodonSandbox;
  /** Server id → its instance URL (`http://127.0.0.1:PORT`). */
  urls: Record<string, string>;
  close: () => Promise<void>;
};

export async function startMastodonServers(options: MastodonSandboxOptions & { host?: string; ports?: Record<string, number> } = {}): Promise<MastodonServers> {
  const { host, ports = {}, ...sandboxOptions } = options;
  const sandbox = createMastodonSandbox(sandboxOptions);
  const listening = await Promise.all(sandbox.serverIds.map(async (id) => [id, await listen(sandbox.serve(id), { host, port: ports[id] ?? 0 })] as const));
  return {
    sandbox,
    urls: Object.fromEntries(listening.map(([id, l]) => [id, l.url])),
    close: async () => {
      await Promise.all(listening.map(([, l]) => l.close()));
    },
  };
}
