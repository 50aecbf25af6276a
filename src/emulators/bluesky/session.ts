import { randomBytes } from "node:crypto";
import { SCOPE, STANDARD_SCOPES, verifyAccess, verifyRefresh } from "./auth";
import { badLogin, expiredToken, invalidToken, XrpcError } from "./errors";
import { base32 } from "./personas";
import { consumeLogin } from "./rate-limit";
import { findAccount, now, type Account } from "./state";
import { issueSession, rotate, sessionBody } from "./tokens";
import type { Ctx } from "./xrpc";

/** com.atproto.server.createSession / refreshSession / getSession / deleteSession. */

const MAX_PASSWORD = 512;
const SIGN_IN_CODE_MS = 15 * 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wrong password and unknown identifier look the same, and take as long. */
async function refuse(ctx: Ctx): Promise<never> {
  if (ctx.rt.s.settings.failedLoginDelayMs > 0) await sleep(ctx.rt.s.settings.failedLoginDelayMs);
  throw badLogin();
}

function checkSignInCode(ctx: Ctx, account: Account, given: string): void {
  const rec = ctx.rt.s.signInCodes[account.did];
  if (!rec || rec.code !== given.trim().toUpperCase()) throw invalidToken("Token is invalid");
  if (rec.expiresAt <= now(ctx.rt)) throw expiredToken("Token is expired");
  delete ctx.rt.s.signInCodes[account.did];
}

function sendSignInCode(ctx: Ctx, account: Account): never {
  const raw = base32(randomBytes(7)).toUpperCase();
  const code = `${raw.slice(0, 5)}-${raw.slice(5, 10)}`;
  ctx.rt.s.signInCodes[account.did] = { code, expiresAt: now(ctx.rt) + SIGN_IN_CODE_MS };
  ctx.rt.secrets.add(code);
  throw new XrpcError(401, "AuthFactorTokenRequired", "A sign in code has been sent to your email address");
}

export async function createSession(ctx: Ctx): Promise<unknown> {
  const identifier = String(ctx.input.identifier).toLowerCase();
  const password = String(ctx.input.password);
  consumeLogin(ctx, identifier);
  if (password.length > MAX_PASSWORD) throw new XrpcError(401, "AuthenticationRequired", "Password too long. Consider resetting your password.");
  const account = findAccount(ctx.rt, identifier);
  if (!account) return refuse(ctx);
  const app = password === account.password ? null : account.appPasswords.find((p) => p.password === password);
  if (app === undefined) return refuse(ctx);
  ctx.did = account.did;
  let scope: string = app ? (app.privileged ? SCOPE.appPassPrivileged : SCOPE.appPass) : SCOPE.access;
  if (account.status === "takendown") {
    if (app) return refuse(ctx);
    if (ctx.input.allowTakendown !== true) throw new XrpcError(401, "AccountTakedown", "Account has been taken down");
    scope = SCOPE.takendown;
  } else if (!app && account.emailAuthFactor) {
    // Email 2FA guards the account password only; app passwords never see it.
    const code = ctx.input.authFactorToken;
    if (typeof code !== "string" || code === "") sendSignInCode(ctx, account);
    checkSignInCode(ctx, account, code as string);
  }
  const session = issueSession(ctx.rt, account, { scope, appPassword: app ? app.name : null });
  return sessionBody(account, ctx.base, session);
}

export async function refreshSession(ctx: Ctx): Promise<unknown> {
  const { did, jti } = verifyRefresh(ctx.rt, ctx.headers);
  const account = ctx.rt.s.accounts[did];
  if (!account || account.status === "deleted") throw new XrpcError(403, "AccountNotFound", "Account not found");
  ctx.did = did;
  if (account.status === "takendown") throw new XrpcError(401, "AccountTakedown", "Account has been taken down");
  const rec = ctx.rt.s.refreshTokens[jti];
  if (!rec || rec.did !== did || rec.expiresAt <= now(ctx.rt)) throw expiredToken("Token has been revoked");
  return sessionBody(account, ctx.base, rotate(ctx.rt, rec));
}

export async function getSession(ctx: Ctx): Promise<unknown> {
  const auth = verifyAccess(ctx.rt, ctx.headers, [...STANDARD_SCOPES, SCOPE.takendown], { allowTakendownAccount: true });
  ctx.did = auth.did;
  return sessionBody(auth.account, ctx.base);
}

export async function deleteSession(ctx: Ctx): Promise<null> {
  // An expired refresh token may still end its session.
  const { did, jti } = verifyRefresh(ctx.rt, ctx.headers, { allowExpired: true });
  ctx.did = did;
  delete ctx.rt.s.refreshTokens[jti];
  return null;
}
