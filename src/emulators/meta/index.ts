/** Meta sandbox: a local Facebook Login dialog + Graph API (see docs/sandbox.md). */
export { createMetaSandbox, type MetaSandbox } from "./sandbox";
export type { MetaSandboxControl, IssuedToken } from "./controls";
export type { Delivery, PermissionChange } from "./callbacks";
export { DEFAULT_APP } from "./state";
export { signRequest, webhookSignatureHeaders } from "./callbacks";
export type {
  AppMode,
  AppRole,
  ControlLogEntry,
  DialogBehaviour,
  FaultSpec,
  PersonaId,
  PersonaOverride,
  PersonaSummary,
  RequestLogEntry,
  SandboxAppConfig,
  SandboxOptions,
  ThrottleScope,
  ThrottleSpec,
  TokenInvalidationReason,
} from "./types";
