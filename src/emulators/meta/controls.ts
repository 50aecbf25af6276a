import { assertDeliverable, deliveryOrigins, postSignedRequest, signRequest, webhookSignatureHeaders, type Delivery } from "./callbacks";
import { grantControls, grantDirectly, type GrantControls } from "./controls-grants";
import { webhookControls, type WebhookControls } from "./controls-webhooks";
import { addFault } from "./faults";
import { changeGrant } from "./grant-changes";
import { summarize } from "./personas";
import {
  appScopedUserId,
  findPersona,
  findToken,
  getGrant,
  nextSeq,
  now,
  type ResolvedApp,
  type SandboxState,
  type TokenRecord,
} from "./state";
import { INVALIDATION, invalidatePersonaTokens, issueUserToken } from "./tokens";
import type {
  AppMode,
  ControlLogEntry,
  DialogAssets,
  DialogBehaviour,
  FaultSpec,
  PersonaSummary,
  RequestLogEntry,
  ThrottleSpec,
  TokenInvalidationReason,
} from "./types";
import { addThrottle } from "./usage";
import { startDue } from "./webhooks";

/** The in-process control API; the HTTP /_control/* endpoints call exactly these. */

export type IssuedToken = { accessToken: string; tokenId: string; userId: string; expiresIn?: number };

export type MetaSandboxControl = CoreControls & GrantControls & WebhookControls;

type CoreControls = {
  now(): number;
  /** Moves the virtual clock; webhook retries that fall due are attempted. */
  advanceClock(ms: number): number;
  personas(): PersonaSummary[];
  /** Scripted dialog answers; `assets` = what an approval ticks (else the defaults / the previous ticks). */
  setDialogBehaviour(persona: string, behaviour: DialogBehaviour, assets?: DialogAssets): void;
  /** A user token without the dialog, with the given scopes granted (and, for a first grant, the default ticks or `assets`). */
  issueToken(o: { persona: string; appId?: string; scopes?: string[]; lifetime?: "short" | "long" | "never"; assets?: DialogAssets }): IssuedToken;
  /** The id the request log uses for a token string (null if unknown). */
  tokenId(token: string): string | null;
  expireToken(tokenOrId: string): boolean;
  revokeToken(tokenOrId: string, reason?: TokenInvalidationReason): boolean;
  /** With `pageId`: only that Page's tokens (whatever the reason). */
  invalidateTokens(persona: string, reason: TokenInvalidationReason, o?: { appId?: string; pageId?: string }): number;
  /** The user removes the app in their Facebook settings (tokens → 190/458; webhook `connected` revoked). */
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

  const helpers = { app, persona, log };
  const control: MetaSandboxControl = {
    now: () => now(s),
    advanceClock(ms) {
      s.world.clockOffset += ms;
      log("advanceClock", { ms });
      startDue(s);
      return now(s);
    },
    personas: () => s.personas.map(summarize),
    setDialogBehaviour(id, behaviour, assets) {
      persona(id);
      s.world.dialog = behaviour === "interactive" ? null : { personaId: id, behaviour, ...(assets ? { assets } : {}) };
      log("setDialogBehaviour", { persona: id, behaviour, ...(assets ? { assets } : {}) });
    },
    issueToken(o) {
      const a = app(o.appId);
      const p = persona(o.persona);
      grantDirectly(s, a, p, o.scopes ?? [], o.assets);
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
      changeGrant(s, a.appId, persona(id), () => undefined);
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
    ...grantControls(s, helpers),
    ...webhookControls(s, helpers, webhookSignatureHeaders),
  };
  return control;
}

