import "server-only";
import type { Account, Profile } from "next-auth";
import { db } from "@/server/db";
import { assertIdentityFree, linkConnection } from "@/server/connections/link-connection";
import { LinkError } from "@/server/connections/link-error";
import type { ProviderAdapter } from "@/server/integrations/types";
import { logger } from "@/server/logger";
import { sessionUserIdFromRequest } from "./session-user";
import { settingsErrorPath } from "./auth-routes";
import type { LinkErrorReason } from "./link-errors";

/**
 * The link half of Auth.js's signIn callback, for every OAuth provider. Returns true to let
 * Auth.js finish (it then finds the account we wrote, already linked to the signed-in user) or a
 * path to redirect to. Link-only: without a session nothing is read or written.
 */
export async function completeOAuthLink(
  request: Request | undefined,
  adapter: ProviderAdapter,
  account: Account,
  profile: Profile | undefined,
): Promise<true | string> {
  if (adapter.link.kind !== "oauth") return settingsErrorPath("link_failed", adapter.id);
  const userId = request ? await sessionUserIdFromRequest(request) : null;
  if (!userId) return `/login?error=link_requires_session&provider=${adapter.id}`;
  if (!account.access_token) return settingsErrorPath("token_exchange_failed", adapter.id);
  const now = new Date();
  try {
    await assertIdentityFree(db(), adapter, userId, account.providerAccountId);
    const grant = await adapter.link.readGrant({ account, profile, now });
    const result = await linkConnection(db(), adapter, { userId, grant, now });
    logger.info({ userId, provider: adapter.id, connectionId: result.connectionId, status: result.status, ...result.assets }, "link completed");
    return true;
  } catch (error) {
    const reason: LinkErrorReason = error instanceof LinkError ? error.reason : "link_failed";
    logger.warn({ userId, provider: adapter.id, reason, message: error instanceof Error ? error.message : String(error) }, "link failed");
    return settingsErrorPath(reason, adapter.id);
  }
}
