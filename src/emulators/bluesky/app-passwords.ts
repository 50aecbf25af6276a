import { randomBytes } from "node:crypto";
import { SCOPE, STANDARD_SCOPES, verifyAccess } from "./auth";
import { invalidRequest } from "./errors";
import { base32 } from "./personas";
import { now, type Account, type Runtime } from "./state";
import { revokeSessions } from "./tokens";
import type { Ctx } from "./xrpc";

/** createAppPassword (account-password logins only), listAppPasswords, revokeAppPassword. */

export function newAppPassword(): string {
  const raw = base32(randomBytes(10)).slice(0, 16);
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8, 12)}-${raw.slice(12, 16)}`;
}

export function addAppPassword(rt: Runtime, account: Account, name: string, privileged: boolean) {
  if (account.appPasswords.some((p) => p.name === name)) throw invalidRequest("could not create app-specific password");
  const entry = { name, password: newAppPassword(), privileged, createdAt: now(rt) };
  account.appPasswords.push(entry);
  rt.secrets.add(entry.password);
  return entry;
}

/** Deleting an app password ends every session made with it (access tokens live on until exp). */
export function removeAppPassword(rt: Runtime, account: Account, name: string): boolean {
  const before = account.appPasswords.length;
  account.appPasswords = account.appPasswords.filter((p) => p.name !== name);
  revokeSessions(rt, account.did, (used) => used === name);
  return account.appPasswords.length < before;
}

export async function createAppPassword(ctx: Ctx): Promise<unknown> {
  const auth = verifyAccess(ctx.rt, ctx.headers, [SCOPE.access]);
  ctx.did = auth.did;
  const entry = addAppPassword(ctx.rt, auth.account, String(ctx.input.name), ctx.input.privileged === true);
  return { name: entry.name, password: entry.password, createdAt: new Date(entry.createdAt).toISOString(), privileged: entry.privileged };
}

export async function listAppPasswords(ctx: Ctx): Promise<unknown> {
  const auth = verifyAccess(ctx.rt, ctx.headers, STANDARD_SCOPES);
  ctx.did = auth.did;
  return { passwords: auth.account.appPasswords.map((p) => ({ name: p.name, createdAt: new Date(p.createdAt).toISOString(), privileged: p.privileged })) };
}

export async function revokeAppPassword(ctx: Ctx): Promise<null> {
  const auth = verifyAccess(ctx.rt, ctx.headers, STANDARD_SCOPES);
  ctx.did = auth.did;
  removeAppPassword(ctx.rt, auth.account, String(ctx.input.name));
  return null;
}
