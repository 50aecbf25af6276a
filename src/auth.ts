import NextAuth, { AuthError, CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { PrismaAdapter } from "@auth/prisma-adapter";
import { env } from "@/env";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { logger } from "@/server/logger";
import { verifyCredentials } from "@/server/users/verify-credentials";

class RateLimitedSignIn extends CredentialsSignin {
  code = "rate_limited";
}

/**
 * Auth.js, configured lazily (the database and secrets are read on first request, never at build).
 * Credentials + JWT sessions: docs/decisions/005-jwt-sessions.md.
 */
function config(): NextAuthConfig {
  const { authSecret, authUrl } = env();
  return {
    adapter: PrismaAdapter(db()),
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
        if (type === "CredentialsSignin") logger.info({ type }, "sign-in refused");
        else logger.error({ type, message: error.message }, "auth error");
      },
      warn(code) {
        logger.warn({ code }, "auth warning");
      },
      debug() {},
    },
    providers: [
      Credentials({
        credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials) {
          try {
            const user = await verifyCredentials(db(), credentials);
            return user && { id: user.id, email: user.email, name: user.name, role: user.role };
          } catch (error) {
            if (error instanceof AppError && error.code === "RATE_LIMITED") throw new RateLimitedSignIn();
            throw error;
          }
        },
      }),
    ],
    callbacks: {
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

export const { handlers, auth, signIn, signOut } = NextAuth(() => config());
