import type { ControlLogEntry, RequestLogEntry as MetaRequestLogEntry } from "../meta/types";

/** Public types of the OAuth 2.0 sandbox core (one core, one profile per platform). */

export type ProviderId = "x" | "linkedin" | "tiktok" | "youtube" | "pinterest" | "threads";

/** An app registered at the platform. Switches that only one platform knows are ignored by the others. */
export type ClientConfig = {
  clientId: string;
  clientSecret: string;
  /** Matched byte-for-byte. */
  redirectUris: string[];
  name?: string;
  /** Scopes the app is approved / provisioned for; default: every scope the platform knows. */
  scopes?: string[];
  /** X: a public client (no secret; `client_id` in the body) instead of a confidential one. */
  public?: boolean;
  /** X: accept `code_challenge_method=plain` (documented as allowed; off so that S256 is proven). */
  allowPlainPkce?: boolean;
  /** LinkedIn: the app is approved for programmatic refresh tokens. */
  refreshTokens?: boolean;
  /** Google: the OAuth consent screen is in "Testing" (7-day refresh tokens). */
  testing?: boolean;
};

export type FaultKind = "server_error" | "timeout" | "rate_limited" | "invalid_grant" | "quota_exceeded";

/**
 * Which calls a fault hits: `refresh` (refresh grants, Threads' th_refresh_token), `exchange` (code
 * and short→long exchanges), `token` (both), `api` (profile/stats), `revoke`, `introspect`, `any`.
 */
export type FaultTarget = "refresh" | "exchange" | "token" | "api" | "revoke" | "introspect" | "any";

export type FaultSpec = {
  kind: FaultKind;
  target?: FaultTarget;
  /** Narrow to one path (after the base path); `*` matches within a segment. */
  path?: string;
  /** How many matching calls fail (default 1). */
  count?: number;
  /** Real milliseconds to wait before answering. */
  latencyMs?: number;
};

export type PersonaStats = { followers?: number; following?: number; posts?: number };

/** What every platform persona has; platforms add their own fields. */
export type PersonaBase = {
  id: string;
  /** Display name (any Unicode). */
  name: string;
  handle?: string;
  /** The exact label of this persona's radio in the dialog ("Continue as"). */
  dialogLabel: string;
  /** The platform's user id as the app stores it. */
  externalId: string;
  stats: PersonaStats;
  /** False for members without a profile photo. */
  hasAvatar: boolean;
};

export type PersonaOverride = { name?: string } & PersonaStats;

export type PersonaSummary = {
  id: string;
  name: string;
  handle: string | null;
  externalId: string;
  dialogLabel: string;
  stats: PersonaStats;
  avatarUrl: string | null;
};

export type OAuth2SandboxOptions = {
  /** The apps the platform knows; default: the platform's sandbox app. */
  clients?: ClientConfig[];
  /** Path prefix the host strips, e.g. "/sandbox/x"; emitted URLs include it. */
  basePath?: string;
  /** Base time source; the virtual clock adds its offset. */
  now?: () => number;
  /** HTTP /_control/*; false → 403. */
  controls?: boolean;
  /** A `timeout` fault holds the response until the client gives up, or this many real ms (default 10 000). */
  timeoutMs?: number;
  /** State saved by `exportState()` to start from. */
  state?: unknown;
};

export type RefreshOutcome = "ok" | "reused" | "expired" | "revoked" | "unknown" | "wrong_client" | "injected" | "too_early";

export type RefreshAttempt = {
  seq: number;
  at: number;
  outcome: RefreshOutcome;
  grantId: string | null;
  tokenId: string | null;
  persona: string | null;
};

/** The Meta sandbox's log shapes, without Graph batches. */
export type RequestLogEntry = Omit<MetaRequestLogEntry, "batchSize">;
export type { ControlLogEntry };
