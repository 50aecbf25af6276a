/** OAuth 2.0 platform sandboxes: one core, one profile per platform (see docs/sandbox.md). */
export { createOAuth2Sandbox, type OAuth2Sandbox } from "./sandbox";
export { serveSandbox, type ListenOptions, type SandboxServer } from "./server";
export { OAUTH_SANDBOXES, OAUTH_PROVIDER_IDS, type OAuthSandboxEntry } from "./registry";
export type { OAuth2Control, GrantSummary, TokenSummary } from "./controls";
export type { OAuth2State } from "./state";
export type {
  ClientConfig,
  ControlLogEntry,
  FaultKind,
  FaultSpec,
  FaultTarget,
  OAuth2SandboxOptions,
  PersonaSummary,
  ProviderId,
  RefreshAttempt,
  RefreshOutcome,
  RequestLogEntry,
} from "./types";
