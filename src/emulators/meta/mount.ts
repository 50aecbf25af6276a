import type { EmulatorMount } from "../mount-types";
import { openSandboxStore, persistedHandler } from "../persistence";
import { createMetaSandbox } from "./sandbox";
import { DEFAULT_APP } from "./state";

/**
 * The Meta sandbox as the app mounts it at /sandbox/meta (the shared emulator mount convention,
 * src/emulators/mount-types.ts): one app whose credentials and redirect URI are the app's own, its
 * state kept in `<dataDir>/sandboxes/meta.json` so a restart keeps every link working.
 */
export const mount: EmulatorMount = (o) => {
  const sandbox = createMetaSandbox({
    basePath: o.basePath,
    controls: o.controls,
    apps: [{ ...DEFAULT_APP, appId: o.app.clientId, appSecret: o.app.clientSecret, redirectUris: o.app.redirectUris }],
    // Callbacks (deauthorize, data deletion) go only to the app that mounts it.
    callbackOrigins: [...new Set(o.app.redirectUris.map((uri) => new URL(uri).origin))],
  });
  const store = openSandboxStore(sandbox, { provider: "meta", dataDir: o.dataDir, log: o.log });
  const handle = persistedHandler(sandbox, store);
  return {
    handle: (request) => handle(request),
    personas: () => sandbox.control.personas().map((p) => ({ id: p.id, label: p.dialogLabel })),
    reset: () => store.reset(),
    flush: () => store.flush(),
    close: () => store.close(),
    instance: sandbox,
  };
};
