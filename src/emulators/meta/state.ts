import { deliveryOrigins } from "./callbacks";
import { builtInPersonas, type Persona } from "./personas";
import { digits } from "./seeded";
import type { AppMode, ControlLogEntry, RequestLogEntry, SandboxAppConfig, SandboxOptions } from "./types";
import { dict, emptyWorld, type Grant, type MetaWorld, type TokenRecord } from "./world";

export type { ActiveFault, ActiveThrottle, CodeRecord, Grant, IgContainer, IgMedia, PagePost, PermissionStatus, ReportRun, TokenRecord, WebhookDelivery } from "./world";

export const DEFAULT_APP: SandboxAppConfig = {
  appId: "1000000000000001",
  appSecret: "sandbox-app-secret-0000000000000001",
  redirectUris: ["http://localhost:3000/api/auth/callback/facebook"],
  name: "Linkboard (sandbox)",
};

export type ResolvedApp = Required<Pick<SandboxAppConfig, "appId" | "appSecret" | "redirectUris">> & {
  requireAppSecretProof: boolean;
  /** As configured; the current mode lives in the world (`appMode`). */
  mode: AppMode;
  name: string;
  approvedPermissions: string[];
  loginConfigs: Record<string, { permissions: string[] }>;
  /** Where permissions webhooks go: fixed at creation, always on one of the app's own origins. */
  webhookUrl: string;
};

/** How webhook deliveries leave the process; not part of the world (nothing here survives a restart). */
export type WebhookRuntime = {
  transport: (request: Request) => Promise<Response>;
  timeoutMs: number;
  /** Deliveries being attempted right now, by delivery id. */
  inFlight: Map<string, Promise<void>>;
  /** Subscribe every app on start and after an import (option `webhooks.subscribed`). */
  subscribeAll: boolean;
};

/** Configuration (fixed for the sandbox's life), the world (what it remembers), and per-process logs. */
export type SandboxState = {
  seed: number;
  basePath: string;
  defaultVersion: string;
  codeTtlMs: number;
  pkce: "observed" | "enforce";
  controlsEnabled: boolean;
  latency: number;
  codeTokenLifetime: "short" | "long";
  deprecatedAdsVersions: Set<string>;
  igQuota: number;
  igProcessingMs: { image: number; video: number };
  pageTokensFollowDataAccess: boolean;
  asyncReportMs: number;
  webhookRuntime: WebhookRuntime;
  apps: Map<string, ResolvedApp>;
  personas: Persona[];
  baseNow: () => number;
  world: MetaWorld;
  requestLog: RequestLogEntry[];
  controlLog: ControlLogEntry[];
};

export function resolveApp(a: SandboxAppConfig, callbackOrigins?: string[]): ResolvedApp {
  return {
    appId: a.appId,
    appSecret: a.appSecret,
    redirectUris: a.redirectUris,
    requireAppSecretProof: a.requireAppSecretProof ?? false,
    mode: a.mode ?? "development",
    name: a.name ?? `App ${a.appId}`,
    approvedPermissions: a.approvedPermissions ?? ["public_profile", "email"],
    loginConfigs: a.loginConfigs ?? {},
    webhookUrl: webhookUrlOf(a, callbackOrigins),
  };
}

/**
 * The app's webhook URL: configured, or `/api/meta/webhook` on the first of its origins (the
 * configured callback origins, else its redirect URIs' — the app itself). Never taken from a
 * request, and refused unless it is on one of those origins.
 */
function webhookUrlOf(a: SandboxAppConfig, callbackOrigins: string[] | undefined): string {
  const own = deliveryOrigins(callbackOrigins, a.redirectUris);
  const first = [...own][0];
  const url = a.webhookUrl ?? (first ? `${first}/api/meta/webhook` : "");
  if (!URL.canParse(url) || !own.has(new URL(url).origin)) {
    throw new Error(`The webhook URL of app ${a.appId} must be on the app's own origin (${[...own].join(", ") || "none configured"}), not ${url || "(none)"}`);
  }
  return url;
}

export function createState(options: SandboxOptions): SandboxState {
  const apps = (options.apps && options.apps.length > 0 ? options.apps : [DEFAULT_APP]).map((a) => resolveApp(a, options.callbackOrigins));
  const basePath = (options.basePath ?? "").replace(/\/+$/, "");
  return {
    seed: options.seed ?? 1,
    basePath,
    defaultVersion: options.defaultVersion ?? "v25.0",
    codeTtlMs: (options.codeTtlSeconds ?? 600) * 1000,
    pkce: options.pkce ?? "observed",
    controlsEnabled: options.controls ?? true,
    latency: options.latency ?? 0,
    codeTokenLifetime: options.codeTokenLifetime ?? "short",
    deprecatedAdsVersions: new Set(options.deprecatedAdsVersions ?? []),
    igQuota: options.igPublishingQuota ?? 100,
    igProcessingMs: { image: (options.igProcessingSeconds?.image ?? 5) * 1000, video: (options.igProcessingSeconds?.video ?? 30) * 1000 },
    pageTokensFollowDataAccess: options.pageTokensFollowDataAccess ?? true,
    asyncReportMs: (options.asyncReportSeconds ?? 20) * 1000,
    webhookRuntime: {
      transport: options.webhooks?.transport ?? ((request) => fetch(request)),
      timeoutMs: options.webhooks?.timeoutMs ?? 10_000,
      inFlight: new Map(),
      subscribeAll: options.webhooks?.subscribed ?? false,
    },
    apps: new Map(apps.map((a) => [a.appId, a])),
    personas: builtInPersonas(options.personas),
    baseNow: options.now ?? Date.now,
    world: emptyWorld(configuredModes(apps)),
    requestLog: [],
    controlLog: [],
  };
}

export function configuredModes(apps: Iterable<ResolvedApp>): Record<string, AppMode> {
  return Object.fromEntries([...apps].map((a) => [a.appId, a.mode]));
}

export function now(s: SandboxState): number {
  return s.baseNow() + s.world.clockOffset;
}

export function nextSeq(s: SandboxState): number {
  return ++s.world.seq;
}

export function appMode(s: SandboxState, app: ResolvedApp): AppMode {
  return s.world.appModes[app.appId] ?? app.mode;
}

/** A token by its string or its log id. */
export function findToken(s: SandboxState, tokenOrId: string): TokenRecord | undefined {
  return s.world.tokens[tokenOrId] ?? Object.values(s.world.tokens).find((t) => t.id === tokenOrId);
}

export function findPersona(s: SandboxState, id: string): Persona | undefined {
  return s.personas.find((p) => p.id === id);
}

/** App-scoped user id: the same person has a different id in every app, as on Meta. */
export function appScopedUserId(s: SandboxState, appId: string, personaIndex: number): string {
  return `10${personaIndex}${digits(s.seed, 12, "user", appId, personaIndex)}`;
}

export function personaByUserId(s: SandboxState, appId: string, userId: string): Persona | undefined {
  return s.personas.find((p) => appScopedUserId(s, appId, p.index) === userId);
}

export function grantKey(appId: string, personaId: string): string {
  return `${appId}:${personaId}`;
}

export function getGrant(s: SandboxState, appId: string, personaId: string): Grant | undefined {
  return s.world.grants[grantKey(appId, personaId)];
}

export function newGrant(appId: string, personaId: string): Grant {
  return { appId, personaId, permissions: dict(), pageIds: null, dataAccessExpiresAt: 0 };
}

export function grantedScopes(g: Grant | undefined): string[] {
  if (!g) return [];
  return Object.entries(g.permissions)
    .filter(([, st]) => st === "granted")
    .map(([p]) => p);
}

export function hasScope(g: Grant | undefined, ...anyOf: string[]): boolean {
  return !!g && anyOf.some((p) => g.permissions[p] === "granted");
}
