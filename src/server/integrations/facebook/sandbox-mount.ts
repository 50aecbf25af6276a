import { env } from "@/env";
import { createMetaSandbox, DEFAULT_APP, type MetaSandbox } from "@/emulators/meta";

export const SANDBOX_BASE_PATH = "/sandbox/meta";

/**
 * The Meta sandbox as served by the app under /sandbox/meta, one per process (on globalThis:
 * Next gives route bundles separate module state, and the sandbox holds the issued tokens).
 * Null when sandbox mode is off.
 */
const holder = globalThis as unknown as { __linkboardSandbox?: MetaSandbox };

export function mountedSandbox(): MetaSandbox | null {
  const config = env();
  if (!config.sandbox) return null;
  holder.__linkboardSandbox ??= createMetaSandbox({
    basePath: SANDBOX_BASE_PATH,
    controls: true,
    apps: [
      {
        ...DEFAULT_APP,
        appId: config.meta.appId,
        appSecret: config.meta.appSecret,
        redirectUris: [`${config.authUrl}/api/auth/callback/facebook`],
      },
    ],
  });
  return holder.__linkboardSandbox;
}
