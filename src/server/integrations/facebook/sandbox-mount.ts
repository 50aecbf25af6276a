import { env, SANDBOX_APP } from "@/env";
import { createMetaSandbox, DEFAULT_APP, type MetaSandbox } from "@/emulators/meta";

export const SANDBOX_BASE_PATH = "/sandbox/meta";

/**
 * The Meta sandbox as served by the app under /sandbox/meta, one per process (on globalThis:
 * Next gives route bundles separate module state, and the sandbox holds the issued tokens).
 * Null when sandbox mode is off (always in production: src/env.ts refuses it).
 *
 * It only ever knows the throwaway sandbox app — never a configured META_APP_SECRET — and it
 * delivers callbacks only to its redirect URI's origin, AUTH_URL. Its controls are on in
 * development only; the route also requires a loopback client (src/server/http/sandbox-gate.ts).
 */
const holder = globalThis as unknown as { __linkboardSandbox?: MetaSandbox };

export function mountedSandbox(): MetaSandbox | null {
  const config = env();
  if (!config.sandbox) return null;
  holder.__linkboardSandbox ??= createMetaSandbox({
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
  return holder.__linkboardSandbox;
}
