import { env, SANDBOX_APP } from "@/env";
import { createMetaSandbox, DEFAULT_APP, type MetaSandbox } from "@/emulators/meta";
import { openSandboxStore, persistedHandler, type SandboxStore } from "@/emulators/persistence";
import { logger } from "@/server/logger";

export const SANDBOX_BASE_PATH = "/sandbox/meta";

/**
 * The Meta sandbox as served by the app under /sandbox/meta, one per process (on globalThis:
 * Next gives route bundles separate module state, and the sandbox holds the issued tokens).
 * Its state is kept in DATA_DIR/sandboxes/meta.json, so a restart keeps every link working.
 * Null when sandbox mode is off (always in production: src/env.ts refuses it).
 *
 * It only ever knows the throwaway sandbox app — never a configured META_APP_SECRET — and it
 * delivers callbacks only to its redirect URI's origin, AUTH_URL. Its controls are on in
 * development only; the route also requires a loopback client (src/server/http/sandbox-gate.ts).
 */
type Mounted = { sandbox: MetaSandbox; store: SandboxStore };
const holder = globalThis as unknown as { __linkboardSandbox?: Mounted };

function mount(): Mounted | null {
  const config = env();
  if (!config.sandbox) return null;
  if (!holder.__linkboardSandbox) {
    const sandbox = createMetaSandbox({
      basePath: SANDBOX_BASE_PATH,
      controls: config.nodeEnv === "development",
      apps: [
        {
          ...DEFAULT_APP,
          appId: SANDBOX_APP.appId,
          appSecret: SANDBOX_APP.appSecret,
          redirectUris: [`${config.authUrl}/api/auth/callback/facebook`],
        },
      ],
      callbackOrigins: [new URL(config.authUrl).origin],
    });
    const store = openSandboxStore(sandbox, { provider: "meta", dataDir: config.dataDir, log: (message) => logger.warn(message) });
    holder.__linkboardSandbox = { sandbox: persistedHandler(sandbox, store), store };
  }
  return holder.__linkboardSandbox;
}

export function mountedSandbox(): MetaSandbox | null {
  return mount()?.sandbox ?? null;
}

export function mountedSandboxStore(): SandboxStore | null {
  return mount()?.store ?? null;
}
