import { addAppPassword, newAppPassword, removeAppPassword } from "./app-passwords";
import { dialogLabel } from "./personas";
import { accountByPersona, nextSeq, now, type Account, type ControlLogEntry, type Fault, type PostRecord, type RequestLogEntry, type Runtime, type StateSettings } from "./state";
import { revokeSessions } from "./tokens";

/** The in-process control API; the HTTP /_control/* endpoints call exactly these. */

export type PersonaView = {
  id: string;
  did: string;
  handle: string;
  email: string;
  displayName?: string;
  status: Account["status"];
  emailAuthFactor: boolean;
  dialogLabel: string;
  password: string;
  appPasswords: { name: string; password: string; privileged: boolean }[];
  /** What the app's "Quick connect (sandbox)" fills in: the handle and the first ordinary app password. */
  quickConnect: { identifier: string; appPassword: string } | null;
};

export type FaultSpec = {
  /** An XRPC method id; omitted or "*" = every method. */
  nsid?: string;
  /** Any 4xx/5xx; the error name and message default to XRPC's for that status. */
  status?: number;
  error?: string;
  message?: string;
  /** How many matching calls (default 1). */
  count?: number;
  /** Real milliseconds to wait before answering. */
  delayMs?: number;
  /** Hold the answer until the client gives up. */
  timeout?: boolean;
};

export type BlueskySandboxControl = {
  now(): number;
  advanceClock(ms: number): number;
  personas(): PersonaView[];
  /** The pending email sign-in code of a 2FA account (what the user would read in their inbox). */
  signInCode(persona: string): string | null;
  createAppPassword(persona: string, o: { name: string; privileged?: boolean }): { name: string; password: string; privileged: boolean };
  /** As the user would in Settings: the password stops working and its sessions' refresh tokens die. */
  revokeAppPassword(persona: string, name: string): boolean;
  /** Every refresh token of the account dies; app passwords survive. Returns the new password. */
  changePassword(persona: string, password?: string): string;
  takeDown(persona: string): void;
  restore(persona: string): void;
  deactivate(persona: string): void;
  deleteAccount(persona: string): void;
  settings(patch?: Partial<StateSettings>): StateSettings;
  injectFault(spec: FaultSpec): void;
  clearFaults(): void;
  faults(): Fault[];
  records(persona?: string): PostRecord[];
  requestLog(): RequestLogEntry[];
  clearRequestLog(): void;
  controlLog(): ControlLogEntry[];
  /** Every password and token known or issued since start (for leak scans). */
  secrets(): string[];
};

export function createControl(rt: Runtime): BlueskySandboxControl {
  const log = (action: string, detail: Record<string, unknown> = {}) => {
    rt.s.controlLog.push({ seq: nextSeq(rt), at: now(rt), action, detail });
    if (rt.s.controlLog.length > 2000) rt.s.controlLog.splice(0, rt.s.controlLog.length - 2000);
  };
  const acct = (persona: string) => accountByPersona(rt, persona);
  const view = (a: Account): PersonaView => {
    const ordinary = a.appPasswords.find((p) => !p.privileged) ?? a.appPasswords[0];
    return {
      id: a.personaId,
      did: a.did,
      handle: a.handle,
      email: a.email,
      ...(a.displayName !== undefined ? { displayName: a.displayName } : {}),
      status: a.status,
      emailAuthFactor: a.emailAuthFactor,
      dialogLabel: dialogLabel(a.personaId),
      password: a.password,
      appPasswords: a.appPasswords.map((p) => ({ name: p.name, password: p.password, privileged: p.privileged })),
      quickConnect: ordinary ? { identifier: a.handle, appPassword: ordinary.password } : null,
    };
  };
  const setStatus = (persona: string, status: Account["status"], revoke: boolean) => {
    const a = acct(persona);
    a.status = status;
    if (revoke) revokeSessions(rt, a.did, () => true);
    log(`status ${status}`, { persona });
  };

  return {
    now: () => now(rt),
    advanceClock(ms) {
      rt.s.clockOffsetMs += Math.max(0, ms);
      log("advanceClock", { ms });
      return now(rt);
    },
    personas: () => Object.values(rt.s.accounts).filter((a) => a.status !== "deleted").map(view),
    signInCode: (persona) => {
      const rec = rt.s.signInCodes[acct(persona).did];
      return rec && rec.expiresAt > now(rt) ? rec.code : null;
    },
    createAppPassword(persona, o) {
      const p = addAppPassword(rt, acct(persona), o.name, o.privileged ?? false);
      log("createAppPassword", { persona, name: o.name });
      return { name: p.name, password: p.password, privileged: p.privileged };
    },
    revokeAppPassword(persona, name) {
      log("revokeAppPassword", { persona, name });
      return removeAppPassword(rt, acct(persona), name);
    },
    changePassword(persona, password) {
      const a = acct(persona);
      a.password = password ?? `sandbox-${newAppPassword()}`;
      rt.secrets.add(a.password);
      revokeSessions(rt, a.did, () => true);
      log("changePassword", { persona });
      return a.password;
    },
    takeDown: (persona) => setStatus(persona, "takendown", true),
    restore: (persona) => setStatus(persona, "active", false),
    deactivate: (persona) => setStatus(persona, "deactivated", false),
    deleteAccount: (persona) => setStatus(persona, "deleted", true),
    settings(patch) {
      if (patch) {
        Object.assign(rt.s.settings, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
        log("settings", patch);
      }
      return { ...rt.s.settings };
    },
    injectFault(spec) {
      const { count, ...rest } = spec;
      rt.s.faults.push({ ...rest, remaining: count ?? 1 });
      log("injectFault", { ...spec });
    },
    clearFaults() {
      rt.s.faults = [];
      log("clearFaults");
    },
    faults: () => rt.s.faults.map((f) => ({ ...f })),
    records: (persona) => (persona ? [...(rt.s.records[acct(persona).did] ?? [])] : Object.values(rt.s.records).flat()),
    requestLog: () => [...rt.s.requestLog],
    clearRequestLog() {
      rt.s.requestLog = [];
    },
    controlLog: () => [...rt.s.controlLog],
    secrets: () => [...rt.secrets],
  };
}
