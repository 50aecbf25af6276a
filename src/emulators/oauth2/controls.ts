import { ControlInputError } from "../control-body";
import { addFault } from "./faults";
import type { Runtime } from "./profile";
import { consentKey, type Grant, type StoredFault, type TokenRecord } from "./state";
import { expireAccessTokens, findToken, grantTokens, revokeGrant } from "./tokens";
import type { ControlLogEntry, FaultSpec, PersonaBase, PersonaOverride, PersonaSummary, RefreshAttempt, RequestLogEntry } from "./types";

/** The in-process control API of an OAuth sandbox; `/_control/*` calls exactly these. */

export type TokenSummary = Pick<TokenRecord, "id" | "kind" | "issuedAt" | "expiresAt"> & Partial<Pick<TokenRecord, "variant" | "spentAt" | "replacedBy" | "revokedAt" | "lastUsedAt">>;

export type GrantSummary = Omit<Grant, "tokenKeys"> & { tokens: TokenSummary[] };

export type OAuth2Control = {
  now(): number;
  advanceClock(ms: number): number;
  /** `base` (origin + base path) makes avatar URLs absolute. */
  personas(base?: string): PersonaSummary[];
  /** Change a persona's name or counts (what the next profile call returns). */
  updatePersona(id: string, o: PersonaOverride): PersonaSummary;
  grants(o?: { persona?: string }): GrantSummary[];
  /** Tokens without the dialog: the platform's token JSON plus `grant_id`. */
  issueTokens(o: { persona: string; scopes?: string[]; clientId?: string }, base?: string): Record<string, unknown>;
  /**
   * Revoke at the platform. `persona`: the user removes the app (every grant, consent forgotten);
   * `grantId` or `token`: that grant ends. Returns how many grants ended.
   */
  revoke(o: { persona?: string; grantId?: string; token?: string; clientId?: string }): number;
  /** Expire the live access tokens of a grant (by id or by any of its tokens) now. */
  expireAccessTokens(o: { grantId?: string; token?: string }): number;
  injectFault(spec: FaultSpec): void;
  faults(): StoredFault[];
  clearFaults(): void;
  refreshAttempts(): RefreshAttempt[];
  requestLog(): RequestLogEntry[];
  clearRequestLog(): void;
  controlLog(): ControlLogEntry[];
  /** The id logs use for a token value (null if unknown). */
  tokenId(value: string): string | null;
};

export function summarize(rt: Runtime, p: PersonaBase, base = rt.basePath): PersonaSummary {
  return {
    id: p.id,
    name: p.name,
    handle: p.handle ?? null,
    externalId: p.externalId,
    dialogLabel: p.dialogLabel,
    stats: { ...p.stats },
    avatarUrl: p.hasAvatar ? `${base}/_assets/avatar/${p.id}.svg` : null,
  };
}

function summarizeGrant(rt: Runtime, g: Grant): GrantSummary {
  const { tokenKeys: _keys, ...grant } = g;
  const tokens = grantTokens(rt, g.id).map(({ grantId: _g, ...t }) => t);
  return { ...grant, scopes: [...g.scopes], tokens };
}

export function createControl(rt: Runtime): OAuth2Control {
  const persona = (id: string) => {
    const p = rt.persona(id);
    if (!p) throw new ControlInputError(`unknown persona ${id}`);
    return p;
  };
  const grantOf = (o: { grantId?: string; token?: string }): Grant => {
    const g = o.grantId ? rt.s.grants[o.grantId] : findToken(rt, o.token)?.grant;
    if (!g) throw new ControlInputError(o.grantId ? `unknown grant ${o.grantId}` : "unknown token");
    return g;
  };
  return {
    now: () => rt.now(),
    advanceClock(ms) {
      rt.s.clockOffsetMs += ms;
      rt.log("advanceClock", { ms });
      return rt.now();
    },
    personas: (base) => rt.profile.personas.map((p) => summarize(rt, rt.persona(p.id) ?? p, base)),
    updatePersona(id, o) {
      persona(id);
      rt.s.personaOverrides[id] = { ...rt.s.personaOverrides[id], ...o };
      rt.log("updatePersona", { persona: id, ...o });
      return summarize(rt, persona(id));
    },
    grants: (o = {}) => Object.values(rt.s.grants).filter((g) => !o.persona || g.personaId === o.persona).map((g) => summarizeGrant(rt, g)),
    issueTokens(o, base = `http://localhost${rt.basePath}`) {
      const p = persona(o.persona);
      const client = rt.client(o.clientId ?? Object.keys(rt.s.clients)[0]);
      if (!client) throw new ControlInputError(`unknown client ${o.clientId ?? ""}`);
      const scopes = o.scopes ?? client.scopes ?? rt.profile.knownScopes;
      const key = consentKey(client.clientId, p.id);
      rt.s.consents[key] = { scopes: [...new Set([...(rt.s.consents[key]?.scopes ?? []), ...scopes])], at: rt.now() };
      const out = rt.profile.issueDirect(rt, { clientId: client.clientId, personaId: p.id, scopes }, base);
      rt.log("issueTokens", { persona: p.id, clientId: client.clientId, scopes, grantId: out.grant_id });
      return out;
    },
    revoke(o) {
      let ended: Grant[];
      if (o.persona) {
        persona(o.persona);
        ended = Object.values(rt.s.grants).filter((g) => g.personaId === o.persona && (!o.clientId || g.clientId === o.clientId) && g.revokedAt === undefined);
        for (const g of ended) revokeGrant(rt, g, "user_removed_app");
        for (const k of Object.keys(rt.s.consents)) {
          const [clientId, pid] = k.split(" ");
          if (pid === o.persona && (!o.clientId || clientId === o.clientId)) delete rt.s.consents[k];
        }
      } else {
        const g = grantOf(o);
        ended = g.revokedAt === undefined ? [g] : [];
        revokeGrant(rt, g, "revoked");
      }
      rt.log("revoke", { persona: o.persona ?? null, grantIds: ended.map((g) => g.id) });
      return ended.length;
    },
    expireAccessTokens(o) {
      const g = grantOf(o);
      const n = expireAccessTokens(rt, g.id);
      rt.log("expireAccessTokens", { grantId: g.id, count: n });
      return n;
    },
    injectFault(spec) {
      addFault(rt, spec);
      rt.log("injectFault", { ...spec });
    },
    faults: () => rt.s.faults.map((f) => ({ ...f })),
    clearFaults() {
      rt.s.faults = [];
      rt.log("clearFaults");
    },
    refreshAttempts: () => rt.s.refreshAttempts.map((a) => ({ ...a })),
    requestLog: () => rt.s.requestLog.map((e) => ({ ...e, query: { ...e.query } })),
    clearRequestLog() {
      rt.s.requestLog = [];
      rt.log("clearRequestLog");
    },
    controlLog: () => rt.s.controlLog.map((e) => ({ ...e })),
    tokenId: (value) => findToken(rt, value)?.rec.id ?? null,
  };
}
