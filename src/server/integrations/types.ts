import "server-only";
import type { ConnectionState, Prisma } from "@prisma/client";
import type { Account, Profile } from "next-auth";
import type { Provider } from "next-auth/providers";
import type { DbTx } from "@/server/audit/record-audit-event";
import type { Clock } from "@/server/clock";
import type { Db } from "@/server/db";

/**
 * The provider interface. Each provider is one folder, `src/server/integrations/<id>/`, whose
 * `index.ts` exports one `ProviderAdapter`; `registry.ts` lists them. Shared code (Auth.js, the
 * health sweep, settings, ops, the JSON API) loops over the registry and never branches on a
 * provider's name. An adapter declares what it can do by what it defines: no `refresh` means the
 * platform has no refresh tokens (the API answers 409), no `checkTokens` means the sweep skips it.
 */

/** How a provider is configured in this process (credentials from its own env variables). */
export type ProviderSettings = {
  /** Credentials present, or the sandbox stands in for them. */
  configured: boolean;
  /** This provider talks to its sandbox (src/emulators/…), never in production. */
  sandbox: boolean;
  /** What an operator sets to configure it ("Not configured" lists these). */
  missing: { name: string; hint: string }[];
};

/** The small set of things an API error can mean for the caller (callers never read a platform's codes). */
export type ErrorVerdict = "refresh" | "retry_later" | "needs_relink" | "permissions_missing" | "bad_request";

export type ClassifiedError = {
  verdict: ErrorVerdict;
  /** For needs_relink: which stored state (revoked = someone ended it; refresh_failed = refresh token refused). */
  state?: Extract<ConnectionState, "needs_relink" | "revoked" | "refresh_failed">;
  /** The platform's code, provider-neutral text (Meta: "190/463"). */
  code: string | null;
  /** Plain, token-free. */
  message: string;
  retryAfterSeconds?: number;
};

/** Tokens as stored (opened by the vault). Passed to adapters; never logged, never returned by the API. */
export type StoredTokens = {
  accessToken: string;
  refreshToken: string | null;
  /** Unix seconds. */
  expiresAt: number | null;
  scope: string | null;
};

/** New tokens from a refresh; `refreshToken` replaces the stored one when present (rotation). */
export type RefreshedTokens = {
  accessToken: string;
  refreshToken?: string | null;
  expiresAt: number | null;
  refreshExpiresAt?: Date | null;
  scope?: string;
};

/** Assets written in the same transaction as the link or a sync (Meta: ad accounts). */
export type AssetWriter = (tx: DbTx, o: { userId: string; connectionId: string; now: Date }) => Promise<{ counts: Record<string, number>; statements: number }>;

/**
 * Everything read from the platform before anything is written. The shared link step
 * (src/server/connections/link-connection.ts) writes it in ONE transaction: the Account's tokens
 * (sealed by the vault), the Connection, the assets and the audit event — or nothing.
 */
export type LinkGrant = {
  externalId: string;
  name: string;
  handle?: string | null;
  avatarUrl?: string | null;
  tokens: { accessToken: string; refreshToken?: string | null; idToken?: string | null; tokenType?: string; scope?: string; expiresAt: number | null };
  refreshExpiresAt?: Date | null;
  dataAccessExpiresAt?: Date | null;
  scopes: { granted: string[]; declined: string[]; missing: string[] };
  details?: Prisma.InputJsonValue;
  stats?: ConnectionStats;
  writeAssets?: AssetWriter;
  /** How many assets of each kind `writeAssets` leaves (stored on the connection for status reads). */
  assetCounts?: Partial<Record<AssetKind, number>>;
  /** Diagnostics for the link log line. */
  metrics?: Record<string, number>;
};

export type ConnectionStats = { followers?: number; following?: number; posts?: number };

/** What Auth.js hands the signIn callback after a successful OAuth callback. */
export type OAuthCallback = { account: Account; profile: Profile | undefined; now: Date };

export type OAuthLink = {
  kind: "oauth";
  /** The Auth.js provider; its `id` is the adapter's id. */
  authjs(): Provider;
  /** Authorization params for "Reconnect" (e.g. re-asking declined permissions). */
  reconnectParams?(o: { missingScopes: string[] }): Record<string, string> | undefined;
  /** Reads the grant (exchange, profile, scopes, assets). Throws a LinkError. */
  readGrant(callback: OAuthCallback): Promise<LinkGrant>;
};

/** A link completed by a form (Bluesky: handle + app password). */
export type FormLink = { kind: "form"; readGrant(input: unknown, o: { now: Date }): Promise<LinkGrant> };

/** A link through a redirect we start ourselves (Mastodon: per-instance app registration, then OAuth). */
export type RedirectLink = {
  kind: "redirect";
  start(input: unknown, o: { userId: string; now: Date }): Promise<{ url: string }>;
  callback(request: Request, o: { userId: string; now: Date }): Promise<LinkGrant>;
};

export type TokenCheck =
  | { kind: "valid"; grantedScopes?: string[]; tokenExpiresAt?: Date | null; dataAccessExpiresAt?: Date | null }
  | { kind: "dead"; error: ClassifiedError }
  | { kind: "failed"; error: ClassifiedError };

export type CheckContext = {
  /** For state shared by every process (rate-limit holds: src/server/rate-limits/). */
  db: Db;
  /** The sweep's clock (virtual in tests: a back-off "sleeps" by advancing it). */
  clock: Clock;
  batchSize?: number;
  concurrency?: number;
  retries?: number;
  maxThrottleRounds?: number;
  /** Scratch space kept across the pages of one sweep (e.g. a rate-limit gate). */
  carry: Map<string, unknown>;
};

/** `requests`, `waitedMs` and `statements` (database, for shared state) count this call only; `peakUsagePct` is the highest quota use seen. */
export type CheckOutcome = { results: Map<string, TokenCheck>; requests: number; waitedMs: number; statements?: number; peakUsagePct?: number };

export type SyncOutcome = {
  scopes?: { granted: string[]; declined: string[]; missing: string[] };
  stats?: ConnectionStats;
  name?: string;
  handle?: string | null;
  avatarUrl?: string | null;
  writeAssets?: AssetWriter;
  assetCounts?: Partial<Record<AssetKind, number>>;
  metrics?: Record<string, number>;
};

/** Assets counted per connection (a new kind is a new table with a `connectionId`). */
export type AssetKind = "adAccounts";

export type SandboxInfo = {
  /** The emulator's folder under src/emulators/ and its mount path /sandbox/<emulator>. */
  emulator: string;
  /** Our client as the emulator must know it (credentials and callback URL). */
  app(): { clientId: string; clientSecret: string; redirectUris: string[] };
};

export interface ProviderAdapter {
  /** Auth.js provider id and `connections.provider` value. */
  readonly id: string;
  /** Shown to users ("Link Facebook"). */
  readonly name: string;
  readonly brandColor: string;
  /** The asset kinds this provider brings, counted on its connections. */
  readonly assetKinds: readonly AssetKind[];
  settings(): ProviderSettings;
  /** Scopes a connection needs; one not granted puts it in permissions_missing. */
  requiredScopes(): string[];
  readonly link: OAuthLink | FormLink | RedirectLink;
  /** Many tokens at once where the platform allows (Meta: debug_token, 50 per batch). */
  checkTokens?(tokens: readonly { key: string; tokens: StoredTokens }[], ctx: CheckContext): Promise<CheckOutcome>;
  refresh?(tokens: StoredTokens): Promise<RefreshedTokens>;
  /** Revokes at the platform; true when it confirmed. */
  revoke?(tokens: StoredTokens): Promise<boolean>;
  /** Re-reads profile, stats and assets. */
  sync?(o: { connection: { id: string; userId: string; externalId: string }; tokens: StoredTokens; now: Date }): Promise<SyncOutcome>;
  /** Any error thrown by this adapter's calls → a verdict. */
  classifyError(error: unknown): ClassifiedError;
  readonly sandbox?: SandboxInfo;
}
