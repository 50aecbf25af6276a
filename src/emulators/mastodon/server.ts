import { listen } from "../node-adapter";
import { keepSandboxState, type PersistOptions, type SandboxStore } from "../persistence";
import { createMastodonSandbox, type MastodonSandbox, type MastodonSandboxOptions } from "./sandbox";

/**
 * Every server of a Mastodon sandbox on its own port (its own origin, as instances are), for
 * tests over HTTP, the app's development setup and `npm run sandbox -- --provider mastodon`.
 */

export type MastodonServers = {
  sandbox: MastodonSandbox;
  /** Server id → its instance URL (`http://127.0.0.1:PORT`). */
  urls: Record<string, string>;
  store: SandboxStore | null;
  close: () => Promise<void>;
};

export async function startMastodonServers(
  options: MastodonSandboxOptions & { host?: string; ports?: Record<string, number>; persist?: PersistOptions } = {},
): Promise<MastodonServers> {
  const { host, ports = {}, persist, ...sandboxOptions } = options;
  const sandbox = createMastodonSandbox(sandboxOptions);
  // One state for all the servers (one snapshot file), loaded before any of them listens.
  const kept = keepSandboxState(sandbox, "mastodon", persist);
  const listening = await Promise.all(sandbox.serverIds.map(async (id) => [id, await listen(kept.track(sandbox.serve(id)), { host, port: ports[id] ?? 0 })] as const));
  return {
    sandbox,
    urls: Object.fromEntries(listening.map(([id, l]) => [id, l.url])),
    store: kept.store,
    close: async () => {
      await Promise.all(listening.map(([, l]) => l.close()));
      await kept.close();
    },
  };
}
