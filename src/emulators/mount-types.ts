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
  /** Where its state is kept across restarts (`<dataDir>/sandboxes/<name>.json`, src/emulators/persistence.ts). */
  dataDir: string;
  log: (message: string) => void;
};

export type MountedEmulator = {
  handle: (request: Request) => Promise<Response>;
  /** Personas for the Quick connect picker. */
  personas: () => { id: string; label: string }[];
  /** "Reset sandbox": forget its world and its snapshot. */
  reset: () => Promise<void>;
  /** Writes a pending state change now. */
  flush: () => Promise<void>;
  /** Writes a pending change and stops saving (shutdown, tests). */
  close: () => Promise<void>;
  /** The emulator object itself (e.g. a MetaSandbox with `.control`), for tests in this process. */
  instance: unknown;
};

export type EmulatorMount = (o: EmulatorMountOptions) => MountedEmulator;
