import "server-only";
import type { MountedEmulator } from "@/emulators/mount-types";
import { registry } from "@/server/integrations/registry";
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
      return mount({ basePath: `/sandbox/${emulator}`, controls: true, app: sandbox.app() });
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
