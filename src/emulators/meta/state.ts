import { builtInPersonas, type Persona } from "./personas";
import { digits } from "./seeded";
import type {
  ControlLogEntry,
  DialogBehaviour,
  FaultSpec,
  RequestLogEntry,
  SandboxAppConfig,
  SandboxOptions,
  ThrottleSpec,
} from "./types";

export const DEFAULT_APP: SandboxAppConfig = {
  appId: "1000000000000001",
  appSecret: "sandbox-app-secret-0000000000000001",
  redirectUris: ["http://localhost:3000/api/auth/callback/facebook"],
  name: "Linkboard (sandbox)",
};

export type PermissionStatus = "granted" | "declined" | "expired";

/** What one Facebook user has allowed one app (survives across tokens). */
export type Grant = {
  appId: string;
  personaId: string;
  permissions: Map<string, PermissionStatus>;
  /** Pages ticked in the dialog; null = every Page the user has a task on. */
  pageIds: string[] | null;
  dataAccessExpiresAt: number;
  authType?: string;
};

export type TokenRecord = {
  id: string;
  value: string;
  type: "USER" | "PAGE" | "APP";
  appId: string;
  personaId?: string;
  userId?: string;
  issuedAt: number;
  /** ms since epoch; 0 = never expires. */
  expiresAt: number;
  longLived: boolean;
  invalid?: { subcode?: number; message: string };
  pageId?: string;
  parentId?: string;
};

export type CodeRecord = {
  value: string;
  appId: string;
  personaId: string;
  redirectUri: string;
  createdAt: number;
  used: boolean;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  openid: boolean;
  nonce?: string;
};

export type ReportRun = {
  id: string;
  accountNumber: string;
  personaId: string;
  params: Record<string, string>;
  createdAt: number;
};

export type ActiveFault = FaultSpec & { remaining: number };
export type ActiveThrottle = ThrottleSpec & { until: number };

export type IgContainer = { id: string; igId: string; createdAt: number; video: boolean; published: boolean };

export type ResolvedApp = Required<Pick<SandboxAppConfig, "appId" | "appSecret" | "redirectUris">> & {
  requireAppSecretProof: boolean;
  mode: "development" | "live";
  name: string;
  approvedPermissions: string[];
  loginConfigs: Record<string, { permissions: string[] }>;
};

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
  asyncReportMs: number;
  apps: Map<string, ResolvedApp>;
  personas: Persona[];
  clockOffset: number;
  baseNow: () => number;
  tokens: Map<string, TokenRecord>;
  tokensById: Map<string, TokenRecord>;
  pageTokenCache: Map<string, TokenRecord>;
  codes: Map<string, CodeRecord>;
  grants: Map<string, Grant>;
  dialog: { personaId: string; behaviour: DialogBehaviour } | null;
  faults: ActiveFault[];
  throttles: ActiveThrottle[];
  /** Call timestamps for usage headers, per bucket key. */
  usage: Map<string, number[]>;
  requestLog: RequestLogEntry[];
  controlLog: ControlLogEntry[];
  reportRuns: Map<string, ReportRun>;
  removedPageRoles: Set<string>;
  posts: Map<string, { lastMessage?: string; count: number }>;
  igContainers: Map<string, IgContainer>;
  igPublishes: Map<string, number[]>;
  seq: number;
};

export function resolveApp(a: SandboxAppConfig): ResolvedApp {
  return {
    appId: a.appId,
    appSecret: a.appSecret,
    redirectUris: a.redirectUris,
    requireAppSecretProof: a.requireAppSecretProof ?? false,
    mode: a.mode ?? "development",
    name: a.name ?? `App ${a.appId}`,
    approvedPermissions: a.approvedPermissions ?? ["public_profile", "email"],
    loginConfigs: a.loginConfigs ?? {},
  };
}

export function createState(options: SandboxOptions): SandboxState {
  const apps = (options.apps && options.apps.length > 0 ? options.apps : [DEFAULT_APP]).map(resolveApp);
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
    asyncReportMs: (options.asyncReportSeconds ?? 20) * 1000,
    apps: new Map(apps.map((a) => [a.appId, a])),
    personas: builtInPersonas(options.personas),
    clockOffset: 0,
    baseNow: options.now ?? Date.now,
    tokens: new Map(),
    tokensById: new Map(),
    pageTokenCache: new Map(),
    codes: new Map(),
    grants: new Map(),
    dialog: null,
    faults: [],
    throttles: [],
    usage: new Map(),
    requestLog: [],
    controlLog: [],
    reportRuns: new Map(),
    removedPageRoles: new Set(),
    posts: new Map(),
    igContainers: new Map(),
    igPublishes: new Map(),
    seq: 0,
  };
}

export function now(s: SandboxState): number {
  return s.baseNow() + s.clockOffset;
}

export function nextSeq(s: SandboxState): number {
  return ++s.seq;
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
  return s.grants.get(grantKey(appId, personaId));
}

export function grantedScopes(g: Grant | undefined): string[] {
  if (!g) return [];
  return [...g.permissions].filter(([, st]) => st === "granted").map(([p]) => p);
}

export function hasScope(g: Grant | undefined, ...anyOf: string[]): boolean {
  return !!g && anyOf.some((p) => g.permissions.get(p) === "granted");
}
