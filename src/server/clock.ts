import "server-only";
/** Time as an injected dependency: tests and the sandboxes advance a virtual clock instead of sleeping. */
export type Clock = { now: () => Date; sleep: (ms: number) => Promise<void> };

export const realClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
