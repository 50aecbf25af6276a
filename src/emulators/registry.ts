import type { EmulatorMount } from "./mount-types";

/**
 * Emulators the app can mount at /sandbox/<name>, loaded on demand so a production server never
 * loads emulator code. One line per emulator; only the sandbox mount (src/server/sandbox/) imports this.
 */
export const EMULATORS: Record<string, () => Promise<{ mount: EmulatorMount }>> = {
  meta: () => import("./meta/mount"),
};
