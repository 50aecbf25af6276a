import { OOB, registerApp } from "./apps";
import type { FaultSpec, MisbehaviourSpec } from "./faults";
import { dialogLabel } from "./personas";
import { nextSeq, now, userByPersona, type MastodonState, type RequestLogEntry, type Srv, type Status, type User } from "./state";
import { issueToken } from "./token";
import { features } from "./versions";

/** The in-process control API, per server and for the whole sandbox; /_control/* calls exactly these. */

export type MastodonPersonaView = {
  id: string;
  accountId: string;
  username: string;
  /** The full handle, `@username@domain`. */
  handle: string;
  displayName: string;
  dialogLabel: string;
  state: User["state"];
};

export type ServerInfo = { id: string; domain: string; title: string; version: string };

export type MastodonServerControl = {
  id: string;
  info(): ServerInfo;
  now(): number;
  advanceClock(ms: number): number;
  personas(): MastodonPersonaView[];
  /** approve (as `persona`, default the first) or deny every dialog at once; interactive shows the page. */
  setDialogBehaviour(behaviour: "interactive" | "approve" | "deny", persona?: string): void;
  /** A token without the dialog (registers a control app unless clientId is given). */
  issueToken(o: { persona: string; scopes?: string[]; clientId?: string }): { accessToken: string; tokenId: string; clientId: string };
  revokeToken(token: string): boolean;
  /** The user revokes the app under Settings → Authorized apps: every token of it becomes "was revoked". */
  revokeGrant(persona: string, clientId?: string): number;
  setUserState(persona: string, state: User["state"]): void;
  apps(): { id: string; name: string; clientId: string; redirectUris: string[]; scopes: string[]; createdAt: number }[];
  tokens(): { id: string; appId: string; userId: string | null; scopes: string[]; revoked: boolean }[];
  statuses(persona?: string): Status[];
  injectFault(spec: FaultSpec): void;
  clearFaults(): void;
  misbehave(spec: MisbehaviourSpec): void;
  clearMisbehaviour(): void;
};

export type MastodonSandboxControl = {
  servers(): ServerInfo[];
  server(id: string): MastodonServerControl;
  /** Advances every server's clock. */
  advanceClock(ms: number): void;
  requestLog(server?: string): RequestLogEntry[];
  clearRequestLog(): void;
  controlLog(): MastodonState["controlLog"];
  /** Every token, client id, client secret and code issued since start (for leak scans). */
  secrets(): string[];
};

export function serverControl(srv: Srv): MastodonServerControl {
  const log = (action: string, detail: Record<string, unknown> = {}) => {
    srv.root.controlLog.push({ seq: nextSeq(srv.root), at: now(srv), server: srv.s.id, action, detail });
    if (srv.root.controlLog.length > 2000) srv.root.controlLog.splice(0, srv.root.controlLog.length - 2000);
  };
  return {
    id: srv.s.id,
    info: () => ({ id: srv.s.id, domain: srv.s.domain, title: srv.s.title, version: srv.s.version }),
    now: () => now(srv),
    advanceClock(ms) {
      srv.s.clockOffsetMs += Math.max(0, ms);
      log("advanceClock", { ms });
      return now(srv);
    },
    personas: () =>
      Object.values(srv.s.users)
        .filter((u) => u.state !== "deleted")
        .map((u) => ({ id: u.personaId, accountId: u.id, username: u.username, handle: `@${u.username}@${srv.s.domain}`, displayName: u.displayName, dialogLabel: dialogLabel(u, srv.s.domain), state: u.state })),
    setDialogBehaviour(behaviour, persona) {
      if (persona) userByPersona(srv, persona);
      srv.s.dialog = { behaviour, ...(persona ? { persona } : {}) };
      log("setDialogBehaviour", { behaviour, persona });
    },
    issueToken(o) {
      const user = userByPersona(srv, o.persona);
      const scopes = o.scopes ?? (features(srv.s.version).profileScope ? ["profile", "write:statuses"] : ["read:accounts", "write:statuses"]);
      const app = o.clientId ? Object.values(srv.s.apps).find((a) => a.clientId === o.clientId) : registerApp(srv, { name: "Sandbox control", redirectUris: [OOB], scopes });
      if (!app) throw new Error(`unknown client "${o.clientId}" on ${srv.s.id}`);
      const [accessToken, token] = issueToken(srv, app, user.id, scopes);
      log("issueToken", { persona: o.persona, scopes, tokenId: token.id });
      return { accessToken, tokenId: token.id, clientId: app.clientId };
    },
    revokeToken(value) {
      const t = srv.s.tokens[value];
      if (!t) return false;
      t.revokedAt ??= now(srv);
      log("revokeToken", { tokenId: t.id });
      return true;
    },
    revokeGrant(persona, clientId) {
      const user = userByPersona(srv, persona);
      const appIds = new Set(Object.values(srv.s.apps).filter((a) => !clientId || a.clientId === clientId).map((a) => a.id));
      let n = 0;
      for (const t of Object.values(srv.s.tokens)) {
        if (t.userId === user.id && appIds.has(t.appId) && t.revokedAt === undefined) {
          t.revokedAt = now(srv);
          n++;
        }
      }
      log("revokeGrant", { persona, revoked: n });
      return n;
    },
    setUserState(persona, state) {
      userByPersona(srv, persona).state = state;
      log("setUserState", { persona, state });
    },
    apps: () => Object.values(srv.s.apps).map((a) => ({ id: a.id, name: a.name, clientId: a.clientId, redirectUris: [...a.redirectUris], scopes: [...a.scopes], createdAt: a.createdAt })),
    tokens: () => Object.values(srv.s.tokens).map((t) => ({ id: t.id, appId: t.appId, userId: t.userId, scopes: [...t.scopes], revoked: t.revokedAt !== undefined })),
    statuses: (persona) => {
      const userId = persona ? userByPersona(srv, persona).id : undefined;
      return Object.values(srv.s.statuses).filter((s) => !userId || s.userId === userId).map((s) => ({ ...s }));
    },
    injectFault(spec) {
      const { count, ...rest } = spec;
      srv.s.faults.push({ ...rest, remaining: count ?? 1 });
      log("injectFault", { ...spec });
    },
    clearFaults() {
      srv.s.faults = [];
      log("clearFaults");
    },
    misbehave(spec) {
      const { count, ...rest } = spec;
      srv.s.misbehaviours.push({ ...rest, remaining: count ?? null });
      log("misbehave", { ...spec });
    },
    clearMisbehaviour() {
      srv.s.misbehaviours = [];
      log("clearMisbehaviour");
    },
  };
}
