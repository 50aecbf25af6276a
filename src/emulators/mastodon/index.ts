/** Mastodon sandbox: several independent Mastodon servers for per-instance linking (see docs/sandbox.md). */
export { createMastodonSandbox, type MastodonSandbox, type MastodonSandboxOptions } from "./sandbox";
export { startMastodonServers, type MastodonServers } from "./server";
export { DEFAULT_SERVERS, LONG_NAME, type MastodonServerConfig, type MastodonUserSeed } from "./personas";
export type { MastodonPersonaView, MastodonSandboxControl, MastodonServerControl, ServerInfo } from "./controls";
export type { FaultSpec, MisbehaviourSpec } from "./faults";
export type { MastodonState } from "./state";
