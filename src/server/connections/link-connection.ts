import "server-only";
import { NO_ERROR } from "./connection-status";
import { Prisma } from "@prisma/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import type { Db } from "@/server/db";
import type { LinkGrant, ProviderAdapter } from "@/server/integrations/types";
import { logger } from "@/server/logger";
import { LinkError, toLinkError } from "./link-error";

/**
 * Writes a link (or re-link) of any provider, after the adapter has read everything it needs from
 * the platform (`LinkGrant`). Auth.js never updates the tokens of an already-linked account, so our
 * code writes them on every callback. ONE transaction writes the Account's tokens (sealed by the
 * vault), the Connection, the provider's assets and the audit event; any failure writes nothing,
 * so the previous state stays whole. An identity linked to another user is refused.
 */
export type LinkResult = {
  connectionId: string;
  status: "connected" | "permissions_missing";
  relinked: boolean;
  missingScopes: string[];
  assets: Record<string, number>;
  statements: number;
};

export const identityOwner = (db: Pick<Db, "account">, provider: string, providerAccountId: string) =>
  db.account.findUnique({ where: { provider_providerAccountId: { provider, providerAccountId } }, select: { id: true, userId: true } });

/** Refuses early, before any platform call, an identity that belongs to someone else. */
export async function assertIdentityFree(db: Db, adapter: Pick<ProviderAdapter, "id" | "name">, userId: string, externalId: string) {
  const owner = await identityOwner(db, adapter.id, externalId);
  if (owner && owner.userId !== userId) throw new LinkError("identity_in_use", { providerName: adapter.name });
}

export async function linkConnection(
  db: Db,
  adapter: Pick<ProviderAdapter, "id" | "name" | "classifyError">,
  input: { userId: string; grant: LinkGrant; now: Date },
): Promise<LinkResult> {
  try {
    return await writeLink(db, adapter, input);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      // Two links of one identity raced; the loser sees who won.
      const winner = await identityOwner(db, adapter.id, input.grant.externalId);
      if (winner && winner.userId !== input.userId) throw new LinkError("identity_in_use", { cause: error, providerName: adapter.name });
    }
    throw toLinkError(adapter, error, "read");
  }
}

async function writeLink(db: Db, adapter: Pick<ProviderAdapter, "id" | "name">, { userId, grant, now }: { userId: string; grant: LinkGrant; now: Date }): Promise<LinkResult> {
  const status = grant.scopes.missing.length > 0 ? "permissions_missing" : "connected";
  return db.$transaction(
    async (tx) => {
      const existing = await identityOwner(tx, adapter.id, grant.externalId);
      if (existing && existing.userId !== userId) throw new LinkError("identity_in_use", { providerName: adapter.name });
      const tokens = {
        access_token: grant.tokens.accessToken,
        // A link without a refresh token forgets any older one: it belonged to the previous grant.
        refresh_token: grant.tokens.refreshToken ?? null,
        id_token: grant.tokens.idToken ?? null,
        expires_at: grant.tokens.expiresAt,
        token_type: grant.tokens.tokenType ?? "bearer",
        scope: grant.tokens.scope ?? grant.scopes.granted.join(","),
      };
      const accountId = existing
        ? (await tx.account.update({ where: { id: existing.id }, data: tokens, select: { id: true } })).id
        : (await tx.account.create({ data: { userId, type: "oauth", provider: adapter.id, providerAccountId: grant.externalId, ...tokens }, select: { id: true } })).id;
      const fields = {
        provider: adapter.id,
        externalId: grant.externalId,
        name: grant.name || `${adapter.name} user`,
        handle: grant.handle ?? null,
        avatarUrl: grant.avatarUrl ?? null,
        state: status,
        grantedScopes: grant.scopes.granted,
        declinedScopes: grant.scopes.declined,
        details: grant.details ?? Prisma.DbNull,
        stats: grant.stats ?? Prisma.DbNull,
        assetCounts: grant.assetCounts ?? Prisma.DbNull,
        tokenExpiresAt: grant.tokens.expiresAt === null ? null : new Date(grant.tokens.expiresAt * 1000),
        refreshExpiresAt: grant.refreshExpiresAt ?? null,
        dataAccessExpiresAt: grant.dataAccessExpiresAt ?? null,
        canRefresh: Boolean(grant.tokens.refreshToken),
        tokenUnreadableAt: null,
        // The last (re)link: platform callbacks signed before it are about an older grant.
        linkedAt: now,
        lastCheckedAt: now,
        lastSyncedAt: now,
        ...NO_ERROR,
        relinkRequestedAt: null,
        relinkRequestedBy: null,
      } as const;
      const connection = await tx.connection.upsert({
        where: { accountId },
        create: { userId, accountId, ...fields },
        update: fields,
        select: { id: true },
      });
      const assets = grant.writeAssets ? await grant.writeAssets(tx, { userId, connectionId: connection.id, now }) : { counts: {}, statements: 0 };
      const relinked = existing !== null;
      await recordAuditEvent(tx, {
        actorId: userId,
        userId,
        action: relinked ? "relinked" : "linked",
        connectionId: connection.id,
        detail: { provider: adapter.id, status, ...assets.counts, missingScopes: grant.scopes.missing },
      });
      logger.info({ link: { userId, provider: adapter.id, connectionId: connection.id, relinked, status, ...assets.counts, ...grant.metrics } }, "connection linked");
      // identity check + account + connection + audit, plus the assets' statements.
      return { connectionId: connection.id, status, relinked, missingScopes: grant.scopes.missing, assets: assets.counts, statements: 4 + assets.statements };
    },
    // Thousands of assets on the embedded database can take longer than Prisma's 5 s default.
    { timeout: 60_000, maxWait: 10_000 },
  );
}
