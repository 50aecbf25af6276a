import { PrismaAdapter } from "@auth/prisma-adapter";
import type { Adapter, AdapterUser } from "next-auth/adapters";
import type { Db } from "@/server/db";

/**
 * Auth.js's Prisma adapter on the vault client, with one lookup replaced. On every OAuth callback —
 * before our signIn callback runs — Auth.js asks who owns the provider account. The stock lookup
 * loads the account row with its token columns, which the vault opens: a token that no longer
 * decrypts (a retired key, a damaged row) then fails the callback, so Reconnect, the documented
 * fix, could never get as far as writing a fresh token. Ours selects the owner only.
 */
export function authAdapter(db: Db): Adapter {
  return {
    ...PrismaAdapter(db),
    async getUserByAccount({ provider, providerAccountId }): Promise<AdapterUser | null> {
      const account = await db.account.findUnique({
        where: { provider_providerAccountId: { provider, providerAccountId } },
        select: { user: true },
      });
      return (account?.user as AdapterUser | undefined) ?? null;
    },
  };
}
