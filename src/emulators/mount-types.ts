/**
 * The convention every emulator follows so the app can mount it at /sandbox/<emulator> (docs/sandbox.md):
 * `src/emulators/<emulator>/mount.ts` exports `mount: EmulatorMount`, and `registry.ts` beside this
 * file lists it. The authorize dialog of every emulator honours `sandbox_persona=<personaId>`:
 * present and valid, it approves at once as that persona with every requested scope granted and
 * redirects with a real code, exactly like a user clicking through (that is "Quick connect").
 */
export type EmulatorMountOptions = {
  /** The path the app serves it under, e.g. "/sandbox/meta". */
  basePath: string;
  /** Whether its `/_control` endpoints answer (the app: development only). */
  controls: boolean;
  /** The app's own client, registered with the emulator. */
  app: { clientId: string; clientSecret: string; redirectUris: string[] };
};

export type MountedEmulator = {
  handle: (request: Request) => Promise<Response>;
  /** Personas for the Quick connect picker. */
  personas: () => { id: string; label: string }[];
};

export type EmulatorMount = (o: EmulatorMountOptions) => MountedEmulator;
