import { createMetaSandbox } from "./sandbox";
import { DEFAULT_APP } from "./state";
import type { EmulatorMount } from "../mount-types";

/**
 * The Meta sandbox as the app mounts it at /sandbox/meta (the shared emulator mount convention,
 * src/emulators/mount-types.ts): one app whose credentials and redirect URI are the app's own.
 */
export const mount: EmulatorMount = (o) => {
  const sandbox = createMetaSandbox({
    basePath: o.basePath,
    controls: o.controls,
    apps: [{ ...DEFAULT_APP, appId: o.app.clientId, appSecret: o.app.clientSecret, redirectUris: o.app.redirectUris }],
  });
  return {
    handle: (request) => sandbox(request),
    personas: () => sandbox.control.personas().map((p) => ({ id: p.id, label: p.dialogLabel })),
  };
};
