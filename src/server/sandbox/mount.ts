import "server-only";
import type { MountedEmulator } from "@/emulators/mount-types";
import { env } from "@/env";
import { registry } from "@/server/integrations/registry";
import { logger } from "@/server/logger";
import type { ProviderAdapter } from "@/server/integrations/types";

/**
 * THE sandbox mount: the only module outside src/emulators that reaches an emulator, and only
 * through a dynamic import, so a production server never loads emulator code. An emulator is
 * served at /sandbox/<emulator> while its provider's adapter says the sandbox is on; one instance
 * per process (on globalThis: Next gives route bundles separate module state, and an emulator
 * holds the tokens it issued).
 */
const holder = globalThis as unknown as { __linkboardEmulators?: Map<string, Promise<MountedEmulator>> };

function adapterFor(emulator: string): ProviderAdapter | undefined {
  return registry.all().find((a) => a.sandbox?.emulator === emulator && a.settings().sandbox);
}

export async function mountedEmulator(emulator: string): Promise<MountedEmulator | null> {
  const adapter = adapterFor(emulator);
  if (!adapter?.sandbox) return null;
  const sandbox = adapter.sandbox;
  holder.__linkboardEmulators ??= new Map();
  let mounted = holder.__linkboardEmulators.get(emulator);
  if (!mounted) {
    mounted = (async () => {
      const { EMULATORS } = await import("@/emulators/registry");
      const load = EMULATORS[emulator];
      if (!load) throw new Error(`No emulator named ${emulator} under src/emulators/`);
      const { mount } = await load();
      return mount({
        basePath: `/sandbox/${emulator}`,
        // Controls move clocks and mint tokens: development only (the route also requires loopback).
        controls: env().nodeEnv === "development",
        app: sandbox.app(),
        dataDir: env().dataDir,
        log: (message) => logger.warn(message),
      });
    })();
    holder.__linkboardEmulators.set(emulator, mounted);
  }
  return mounted;
}

/** Personas for a provider's Quick connect picker; empty when its sandbox is off. */
export async function sandboxPersonas(adapter: ProviderAdapter): Promise<{ id: string; label: string }[]> {
  if (!adapter.sandbox || !adapter.settings().sandbox) return [];
  return (await mountedEmulator(adapter.sandbox.emulator))?.personas() ?? [];
}

/** The emulators this process serves now (their providers' sandboxes are on), by emulator name. */
export async function mountedEmulators(): Promise<Map<string, MountedEmulator>> {
  const names = new Set(registry.all().flatMap((a) => (a.sandbox && a.settings().sandbox ? [a.sandbox.emulator] : [])));
  const mounted = new Map<string, MountedEmulator>();
  for (const name of names) {
    const emulator = await mountedEmulator(name);
    if (emulator) mounted.set(name, emulator);
  }
  return mounted;
}

/** What "Reset sandbox" forgets, in words, for its confirmation (the emulators' own text). */
export async function sandboxResetForgets(): Promise<string> {
  return (await import("@/emulators/persistence")).RESET_FORGETS;
}

/** Saves and closes every mounted emulator (tests; a process that stops). */
export async function closeMountedEmulators(): Promise<void> {
  const mounted = holder.__linkboardEmulators;
  holder.__linkboardEmulators = undefined;
  for (const emulator of mounted?.values() ?? []) await (await emulator).close();
}
