/** Bluesky sandbox: a local PDS for app-password linking (see docs/sandbox.md). */
export { createBlueskySandbox, DEFAULT_SERVICE_DID, type BlueskySandbox, type BlueskySandboxOptions } from "./sandbox";
export { startBlueskyServer, type BlueskyServer } from "./server";
export type { BlueskySandboxControl, FaultSpec, PersonaView } from "./controls";
export type { BlueskyState, PostRecord, RequestLogEntry } from "./state";
