import { RESET_FORGETS, type SandboxStore } from "../src/emulators/persistence";

const STATE_NOTE = {
  fresh: "nothing saved yet",
  loaded: "loaded: tokens, grants and the clock from the last run",
  reset: `reset: forgot ${RESET_FORGETS}`,
  ignored: "the saved state could not be used and was set aside",
} as const;

/** The `npm run sandbox` banner line saying where a sandbox's state is kept and what was found there. */
export const stateLine = (store: SandboxStore | null) => (store ? `  state:    ${store.file} (${STATE_NOTE[store.outcome]})\n` : "");
