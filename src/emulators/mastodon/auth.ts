import { bearer, type Params } from "./http";
import { ApiError } from "./responses";
import type { Srv, Token, User } from "./state";

/** Bearer checks of Mastodon's API controllers: Doorkeeper first, then "is there a usable user". */

export type Authed = { token: Token; user: User | null };

function unauthorized(message: string): ApiError {
  return new ApiError(401, message, { "www-authenticate": `Bearer realm="Doorkeeper", error="invalid_token", error_description="${message}"` });
}

/** `anyOf`: the token must hold one of these scopes literally (callers list the hierarchy). */
export function authenticate(srv: Srv, req: Request, p: Params, anyOf: string[] | null): Authed {
  const value = bearer(req, p);
  const token = value ? srv.s.tokens[value] : undefined;
  if (!token) throw unauthorized("The access token is invalid");
  if (token.revokedAt !== undefined) throw unauthorized("The access token was revoked");
  const user = token.userId ? (srv.s.users[token.userId] ?? null) : null;
  if (token.userId && (!user || user.state === "deleted")) throw unauthorized("The access token is invalid");
  if (anyOf && !anyOf.some((scope) => token.scopes.includes(scope))) throw new ApiError(403, "This action is outside the authorized scopes");
  return { token, user };
}

/** The second half of a user endpoint: an app token or a login that cannot be used is refused. */
export function requireUser(a: Authed): User {
  if (!a.user) throw new ApiError(422, "This method requires an authenticated user");
  if (a.user.state === "disabled") throw new ApiError(403, "Your login is currently disabled");
  if (a.user.state === "unconfirmed") throw new ApiError(403, "Your login is missing a confirmed e-mail address");
  if (a.user.state === "pending") throw new ApiError(403, "Your login is currently pending approval");
  return a.user;
}

export function optionalAuth(srv: Srv, req: Request, p: Params): Authed | null {
  return bearer(req, p) ? authenticate(srv, req, p, null) : null;
}
