import {
  assertDeliverable,
  deliveryOrigins,
  permissionsWebhookBody,
  postSignedRequest,
  postWebhook,
  signRequest,
  verifyWebhookEndpoint,
  webhookSignatureHeaders,
  type Delivery,
  type PermissionChange,
} from "./callbacks";
import { addFault } from "./faults";
import { summarize } from "./personas";
import {
  appScopedUserId,
  findPersona,
  findToken,
  getGrant,
  grantKey,
  newGrant,
  nextSeq,
  now,
  type ResolvedApp,
  type SandboxState,
  type TokenRecord,
} from "./state";
import { DATA_ACCESS_MS, INVALIDATION, invalidatePersonaTokens, issueUserToken } from "./tokens";
import type {
  AppMode,
  ControlLogEntry,
  DialogBehaviour,
  FaultSpec,
  PersonaSummary,
  RequestLogEntry,
  ThrottleSpec,
  TokenInvalidationReason,
} from "./types";
import { addThrottle } from "./usage";

/** The in-process control API; the HTTP /_control/* endpoints call exactly these. */

export type IssuedToken = { accessToken: string; tokenId: string; userId: string; expiresIn?: number };

export type MetaSandboxControl = {
  now(): number;
  advanceClock(ms: number): number;
  personas(): PersonaSummary[];
  setDialogBehaviour(persona: string, behaviour: DialogBehaviour): void;
  /** A user token without the dialog, with the given scopes granted. */
  issueToken(o: { persona: string; appId?: string; scopes?: string[]; lifetime?: "short" | "long" | "never" }): IssuedToken;
  /** The id the request log uses for a token string (null if unknown). */
  tokenId(token: string): string | null;
  expireToken(tokenOrId: string): boolean;
  revokeToken(tokenOrId: string, reason?: TokenInvalidationReason): boolean;
  invalidateTokens(persona: string, reason: TokenInvalidationReason, o?: { appId?: string; pageId?: string }): number;
  /** The user removes the app in their Facebook settings (tokens → 190/458). */
  removeApp(persona: string, appId?: string): void;
  removePageRole(persona: string, pageId: string): void;
  expireDataAccess(persona: string, appId?: string): void;
  expirePermission(persona: string, permission: string, appId?: string): void;
  injectFault(spec: FaultSpec): void;
  clearFaults(): void;
  throttle(spec: ThrottleSpec): { until: number };
  clearThrottles(): void;
  setAppMode(mode: AppMode, appId?: string): void;
  requestLog(): RequestLogEntry[];
  clearRequestLog(): void;
  controlLog(): ControlLogEntry[];
  userId(persona: string, appId?: string): string;
  signedRequest(payload: Record<string, unknown>, appId?: string): string;
  /** A ready signed_request for the deauthorize or data-deletion callback of a persona. */
  callbackSignedRequest(persona: string, kind: "deauthorize" | "data_deletion", appId?: string): string;
  sendDeauthorize(o: { url: string; persona: string; appId?: string }): Promise<Delivery>;
  sendDataDeletion(o: { url: string; persona: string; appId?: string }): Promise<Delivery>;
  sendPermissionsWebhook(o: { url: string; persona: string; changes: PermissionChange[]; appId?: string }): Promise<Delivery>;
  webhookSignature(rawBody: string, appId?: string): Record<string, string>;
  verifyWebhook(o: { url: string; verifyToken: string }): Promise<Delivery & { ok: boolean; challenge: string }>;
};

export function createControl(s: SandboxState, o: { callbackOrigins?: string[] } = {}): MetaSandboxControl {
  // Checked before anything is signed or sent: the URL comes from whoever calls the control.
  const deliverable = (url: string) => assertDeliverable(url, deliveryOrigins(o.callbackOrigins, [...s.apps.values()].flatMap((a) => a.redirectUris)));
  const log = (action: string, detail: Record<string, unknown> = {}) => {
    s.controlLog.push({ seq: nextSeq(s), at: now(s), action, detail });
  };
  const app = (appId?: string): ResolvedApp => {
    const a = appId ? s.apps.get(appId) : s.apps.values().next().value;
    if (!a) throw new Error(`unknown app ${appId ?? "(default)"}`);
    return a;
  };
  const persona = (id: string) => {
    const p = findPersona(s, id);
    if (!p) throw new Error(`unknown persona ${id}`);
    return p;
  };
  const token = (tokenOrId: string): TokenRecord | undefined => findToken(s, tokenOrId);
  const sec = () => Math.floor(now(s) / 1000);

  const control: MetaSandboxControl = {
    now: () => now(s),
    advanceClock(ms) {
      s.world.clockOffset += ms;
      log("advanceClock", { ms });
      return now(s);
    },
    personas: () => s.personas.map(summarize),
    setDialogBehaviour(id, behaviour) {
      persona(id);
      s.world.dialog = behaviour === "interactive" ? null : { personaId: id, behaviour };
      log("setDialogBehaviour", { persona: id, behaviour });
    },
    issueToken(o) {
      const a = app(o.appId);
      const p = persona(o.persona);
      const key = grantKey(a.appId, p.id);
      const g = s.world.grants[key] ?? newGrant(a.appId, p.id);
      for (const x of ["public_profile", ...(o.scopes ?? [])]) g.permissions[x] = "granted";
      g.dataAccessExpiresAt = now(s) + DATA_ACCESS_MS;
      s.world.grants[key] = g;
      const userId = appScopedUserId(s, a.appId, p.index);
      const t = issueUserToken(s, { appId: a.appId, personaId: p.id, userId, lifetime: o.lifetime ?? "long" });
      log("issueToken", { persona: p.id, tokenId: t.id, scopes: o.scopes ?? [], lifetime: o.lifetime ?? "long" });
      return { accessToken: t.value, tokenId: t.id, userId, expiresIn: t.expiresAt ? Math.floor((t.expiresAt - now(s)) / 1000) : undefined };
    },
    tokenId: (value) => s.world.tokens[value]?.id ?? null,
    expireToken(tokenOrId) {
      const t = token(tokenOrId);
      if (t) t.expiresAt = now(s) - 1000;
      log("expireToken", { tokenId: t?.id ?? null });
      return !!t;
    },
    revokeToken(tokenOrId, reason = "api_call") {
      const t = token(tokenOrId);
      if (t) t.invalid = INVALIDATION[reason](t.appId);
      log("revokeToken", { tokenId: t?.id ?? null, reason });
      return !!t;
    },
    invalidateTokens(id, reason, o = {}) {
      persona(id);
      const n = invalidatePersonaTokens(s, id, reason, o);
      log("invalidateTokens", { persona: id, reason, ...o, count: n });
      return n;
    },
    removeApp(id, appId) {
      const a = app(appId);
      persona(id);
      delete s.world.grants[grantKey(a.appId, id)];
      invalidatePersonaTokens(s, id, "app_removed", { appId: a.appId });
      log("removeApp", { persona: id, appId: a.appId });
    },
    removePageRole(id, pageId) {
      persona(id);
      if (!s.world.removedPageRoles.includes(`${id}:${pageId}`)) s.world.removedPageRoles.push(`${id}:${pageId}`);
      invalidatePersonaTokens(s, id, "page_role_removed", { pageId });
      log("removePageRole", { persona: id, pageId });
    },
    expireDataAccess(id, appId) {
      const g = getGrant(s, app(appId).appId, persona(id).id);
      if (g) g.dataAccessExpiresAt = now(s);
      log("expireDataAccess", { persona: id });
    },
    expirePermission(id, permission, appId) {
      const g = getGrant(s, app(appId).appId, persona(id).id);
      if (g?.permissions[permission] !== undefined) g.permissions[permission] = "expired";
      log("expirePermission", { persona: id, permission });
    },
    injectFault(spec) {
      addFault(s, spec);
      log("injectFault", { ...spec });
    },
    clearFaults() {
      s.world.faults = [];
      log("clearFaults");
    },
    throttle(spec) {
      const th = addThrottle(s, spec);
      log("throttle", { ...spec });
      return { until: th.until };
    },
    clearThrottles() {
      s.world.throttles = [];
      log("clearThrottles");
    },
    setAppMode(mode, appId) {
      s.world.appModes[app(appId).appId] = mode;
      log("setAppMode", { mode, appId: app(appId).appId });
    },
    requestLog: () => s.requestLog.map((e) => ({ ...e, query: { ...e.query } })),
    clearRequestLog() {
      s.requestLog = [];
      log("clearRequestLog");
    },
    controlLog: () => [...s.controlLog],
    userId: (id, appId) => appScopedUserId(s, app(appId).appId, persona(id).index),
    signedRequest(payload, appId) {
      log("signedRequest", { appId: app(appId).appId });
      return signRequest({ issued_at: sec(), ...payload }, app(appId).appSecret);
    },
    callbackSignedRequest(id, kind, appId) {
      const a = app(appId);
      const payload: Record<string, unknown> = { user_id: control.userId(id, a.appId), issued_at: sec() };
      if (kind === "data_deletion") payload.expires = sec() + 3600;
      log("callbackSignedRequest", { persona: id, kind });
      return signRequest(payload, a.appSecret);
    },
    async sendDeauthorize(o) {
      deliverable(o.url);
      // Removing the app is what makes Meta call the deauthorize URL.
      const signed = control.callbackSignedRequest(o.persona, "deauthorize", o.appId);
      control.removeApp(o.persona, o.appId);
      const d = await postSignedRequest(o.url, signed);
      log("sendDeauthorize", { persona: o.persona, url: o.url, status: d.status });
      return d;
    },
    async sendDataDeletion(o) {
      deliverable(o.url);
      const signed = control.callbackSignedRequest(o.persona, "data_deletion", o.appId);
      const d = await postSignedRequest(o.url, signed);
      log("sendDataDeletion", { persona: o.persona, url: o.url, status: d.status });
      return d;
    },
    async sendPermissionsWebhook(o) {
      deliverable(o.url);
      const a = app(o.appId);
      const body = permissionsWebhookBody(control.userId(o.persona, a.appId), sec(), o.changes);
      const d = await postWebhook(o.url, body, a.appSecret);
      log("sendPermissionsWebhook", { persona: o.persona, url: o.url, status: d.status });
      return d;
    },
    webhookSignature: (rawBody, appId) => webhookSignatureHeaders(rawBody, app(appId).appSecret),
    async verifyWebhook(o) {
      deliverable(o.url);
      const d = await verifyWebhookEndpoint(o.url, o.verifyToken);
      log("verifyWebhook", { url: o.url, ok: d.ok });
      return d;
    },
  };
  return control;
}

