import { env } from "@/env";
import type { SandboxStore } from "@/emulators/persistence";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { sweepConnections } from "@/server/health/sweep-connections";
import { mountedSandboxStore } from "@/server/integrations/facebook/sandbox-mount";

/**
 * "Reset sandbox" (development only): every sandbox the app serves forgets its world — tokens,
 * codes, grants, its clock, what was published — and its snapshot under DATA_DIR/sandboxes is
 * deleted. Linkboard's own data stays; a health check right after tells the app the truth: the
 * sandbox no longer knows the stored tokens, so every linked connection needs a re-link.
 */
const MOUNTED: Record<string, () => SandboxStore | null> = { meta: mountedSandboxStore };

export type SandboxResetResult = {
  reset: string[];
  /** Connections checked right after the reset. */
  checked: number;
  needsRelink: number;
};

export function assertSandboxResettable(): void {
  const config = env();
  if (!config.sandbox) {
    throw new AppError({ code: "NOT_FOUND", message: "Sandbox mode is off.", hint: "There is no sandbox to reset while Linkboard talks to the real platforms." });
  }
  if (config.nodeEnv === "production") {
    throw new AppError({
      code: "FORBIDDEN",
      message: "The sandbox cannot be reset on a production server.",
      hint: "Reset it from a development server, or restart the standalone sandbox with --reset.",
    });
  }
}

/** `assertCaller` runs after the mode checks (so production and sandbox-off answer as such). */
export async function resetSandboxes(db: Db, assertCaller: () => void = () => {}): Promise<SandboxResetResult> {
  assertSandboxResettable();
  assertCaller();
  const reset: string[] = [];
  for (const [provider, store] of Object.entries(MOUNTED)) {
    const s = store();
    if (!s) continue;
    await s.reset();
    reset.push(provider);
  }
  const sweep = await sweepConnections(db, { trigger: "sandbox_reset" });
  const needsRelink = Object.entries(sweep.transitions)
    .filter(([k]) => k.endsWith("->needs_relink"))
    .reduce((n, [, count]) => n + count, 0);
  return { reset, checked: sweep.checked, needsRelink };
}
