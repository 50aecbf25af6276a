import type { Account, Profile } from "next-auth";
import { db } from "@/server/db";
import { linkFacebook } from "@/server/connections/link-facebook";
import { LinkError } from "@/server/connections/link-error";
import { logger } from "@/server/logger";
import { sessionUserIdFromRequest } from "./session-user";
import type { LinkErrorReason } from "./link-errors";

const SETTINGS = "/settings/connections";

function failure(reason: LinkErrorReason) {
  return `${SETTINGS}?error=${reason}`;
}

/**
 * The Facebook half of Auth.js's signIn callback. Returns true to let Auth.js finish (it then
 * finds the account we wrote, already linked to the signed-in user) or a path to redirect to.
 */
export async function completeFacebookLink(request: Request | undefined, account: Account, profile: Profile | undefined): Promise<true | string> {
  const userId = request ? await sessionUserIdFromRequest(request) : null;
  if (!userId) return "/login?error=link_requires_session";
  if (!account.access_token) return failure("token_exchange_failed");
  const expiresIn = account.expires_at ? account.expires_at - Math.floor(Date.now() / 1000) : undefined;
  try {
    const result = await linkFacebook(db(), {
      userId,
      providerAccountId: account.providerAccountId,
      name: typeof profile?.name === "string" ? profile.name : "Facebook user",
      accessToken: account.access_token,
      expiresIn,
      tokenType: account.token_type ?? undefined,
      scope: account.scope ?? undefined,
    });
    logger.info({ userId, connectionId: result.connectionId, status: result.status, adAccounts: result.adAccountCount }, "facebook linked");
    return true;
  } catch (error) {
    const reason: LinkErrorReason = error instanceof LinkError ? error.reason : "link_failed";
    logger.warn({ userId, reason, message: error instanceof Error ? error.message : String(error) }, "facebook link failed");
    return failure(reason);
  }
}
