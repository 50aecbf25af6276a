import NextAuth, { AuthError, CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { env } from "@/env";
import { authAdapter } from "@/server/auth/auth-adapter";
import { noteAuthErrorType } from "@/server/auth/auth-error-context";
import { completeFacebookLink } from "@/server/auth/complete-facebook-link";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { clientIp } from "@/server/http/client-address";
import { facebookProvider } from "@/server/integrations/facebook/provider";
import { logger } from "@/server/logger";
import { verifyCredentials } from "@/server/users/verify-credentials";

class RateLimitedSignIn extends CredentialsSignin {
  code = "rate_limited";
}

/**
 * Auth.js, configured lazily per request (the database and secrets are read on first use, never at
 * build). Credentials + JWT sessions (docs/decisions/005-jwt-sessions.md); Facebook is link-only
 * (docs/decisions/009-facebook-link-only-provider.md).
 */
/**
 * Callback failures arrive wrapped (CallbackRouteError); the cause says what really failed. A
 * state that does not match is rejected by oauth4webapi with a plain error naming "state".
 */
function callbackFailureType(error: Error, type: string): string {
  const inner = (error.cause as { err?: unknown } | undefined)?.err;
  if (inner instanceof AuthError) return inner.type;
  if (inner instanceof Error && /"state"/.test(inner.message)) return "InvalidCheck";
  return type;
}

function config(request: Request | undefined): NextAuthConfig {
  const { authSecret, authUrl, meta } = env();
  return {
    adapter: authAdapter(db()),
    secret: authSecret,
    trustHost: true,
    session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
    useSecureCookies: authUrl.startsWith("https://"),
    pages: { signIn: "/login", error: "/auth/error" },
    // Auth.js's own logger prints stacks to the console; ours is structured and redacted. A refused
    // sign-in is an expected event, not an error.
    logger: {
      error(error) {
        const type = error instanceof AuthError ? error.type : error.name;
        noteAuthErrorType(callbackFailureType(error, type));
        if (type === "CredentialsSignin") logger.info({ type }, "sign-in refused");
        else logger.warn({ type, message: error.message }, "auth error");
      },
      warn(code) {
        logger.warn({ code }, "auth warning");
      },
      debug() {},
    },
    providers: [
      Credentials({
        credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, request) {
          try {
            const user = await verifyCredentials(db(), credentials, { clientIp: clientIp(request) });
            return user && { id: user.id, email: user.email, name: user.name, role: user.role };
          } catch (error) {
            if (error instanceof AppError && error.code === "RATE_LIMITED") throw new RateLimitedSignIn();
            throw error;
          }
        },
      }),
      facebookProvider(meta),
    ],
    callbacks: {
      async signIn({ account, profile }) {
        if (account?.provider !== "facebook") return true;
        // Link-only: the tokens are written by our code, in one transaction, before Auth.js looks
        // at the account (it would never update the tokens of an already-linked account).
        return completeFacebookLink(request, account, profile);
      },
      jwt({ token, user }) {
        if (user?.id) {
          token.sub = user.id;
          token.role = user.role ?? "USER";
        }
        return token;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        session.user.role = token.role ?? "USER";
        return session;
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth((request) => config(request));
