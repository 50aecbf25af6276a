/** Public option and persona types of the Meta sandbox. */

export type AppMode = "development" | "live";

export type SandboxAppConfig = {
  appId: string;
  appSecret: string;
  /** Valid OAuth Redirect URIs; matched byte-for-byte (Strict Mode). */
  redirectUris: string[];
  /** "Require App Secret": every user/Page-token call must carry appsecret_proof. */
  requireAppSecretProof?: boolean;
  /** Development: only personas with an app role may log in. Live: others get approved permissions only. */
  mode?: AppMode;
  name?: string;
  /** Permissions that passed App Review (what non-role users may grant in Live mode). */
  approvedPermissions?: string[];
  /** Facebook Login for Business configurations: config_id → permissions (all-or-nothing grant). */
  loginConfigs?: Record<string, { permissions: string[] }>;
};

export type AppRole = "administrator" | "developer" | "tester";

export type PersonaId = "solo" | "agency" | "disabled" | "pages" | "empty" | "scale" | "outsider";

export type PersonaSummary = {
  id: string;
  name: string;
  email?: string;
  appRole?: AppRole;
  adAccountCount: number;
  businessCount: number;
  pageCount: number;
  /** The exact label text of this persona's radio button in the login dialog. */
  dialogLabel: string;
};

export type DialogBehaviour = "approve" | "cancel" | `decline:${string}` | "interactive";

export type TokenInvalidationReason =
  | "password_changed"
  | "app_removed"
  | "logged_out"
  | "api_call"
  | "checkpoint"
  | "unconfirmed"
  | "page_role_removed";

export type FaultSpec = {
  /** Version-less Graph path, e.g. "/me/adaccounts"; `*` matches within a segment ("/act_*\/insights"). */
  path?: string;
  method?: string;
  code?: number;
  subcode?: number;
  status?: number;
  message?: string;
  isTransient?: boolean;
  /** Real delay before answering (or before failing). */
  latencyMs?: number;
  /** Inside a batch: this item and the ones after it come back null; alone: code 1 "reduce the amount of data". */
  timeout?: boolean;
  /** How many matching calls this fault applies to (default 1). */
  count?: number;
};

export type ThrottleScope = "app" | "user" | "ad_account" | "ads_insights" | "ads_management" | "pages";

export type ThrottleSpec = {
  scope: ThrottleScope;
  /** Ad account number (without act_) or Page id; omitted = every object of that scope. */
  objectId?: string;
  /** estimated_time_to_regain_access, in minutes of virtual time (default 5). */
  minutes?: number;
};

export type SandboxOptions = {
  apps?: SandboxAppConfig[];
  /** Path prefix the host strips, e.g. "/sandbox/meta"; emitted URLs include it. */
  basePath?: string;
  seed?: number;
  /** Base time source; the virtual clock adds its offset to it. */
  now?: () => number;
  codeTtlSeconds?: number;
  /** "observed": PKCE honoured only with the openid scope (Meta's web flow); "enforce": always verified. */
  pkce?: "observed" | "enforce";
  /** HTTP /_control/* endpoints; false → every control answers 403. */
  controls?: boolean;
  /**
   * Origins that callbacks and webhooks may be delivered to (`send*`, `verifyWebhook`). Default: the
   * origins of the apps' redirect URIs — the app itself — so the sandbox never fetches anything else.
   */
  callbackOrigins?: string[];
  /** Real delay added to every Graph response, in ms. */
  latency?: number;
  /** Lifetime of tokens from the code exchange: "short" (~2 h, the documented web behaviour) or "long" (~60 d). */
  codeTokenLifetime?: "short" | "long";
  /** Version used for unversioned calls and emitted URLs. */
  defaultVersion?: string;
  /** Marketing API versions that answer 2635. */
  deprecatedAdsVersions?: string[];
  /** IG content_publishing_limit quota_total. */
  igPublishingQuota?: number;
  /** Seconds a async insights report run takes (virtual time). */
  asyncReportSeconds?: number;
  /** Override or extend the built-in personas (matched by id). */
  personas?: PersonaOverride[];
};

export type PersonaOverride = {
  id: string;
  name?: string;
  email?: string;
  appRole?: AppRole | null;
};

export type RequestLogEntry = {
  seq: number;
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  tokenId: string | null;
  status: number;
  batchSize?: number;
};

export type ControlLogEntry = { seq: number; at: number; action: string; detail: Record<string, unknown> };
