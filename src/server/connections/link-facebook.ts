import { Prisma } from "@prisma/client";
import { z } from "zod";
import { replaceAdAccounts } from "@/server/ad-accounts/replace-ad-accounts";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import type { Db } from "@/server/db";
import { graphClientFromEnv, type GraphClient } from "@/server/integrations/facebook/client";
import { logger } from "@/server/logger";
import { LinkError, toLinkError } from "./link-error";
import { readFacebookGrant, type FacebookGrant } from "./read-facebook-grant";
import { requiredScopes as configuredScopes } from "./scopes";

/**
 * Links (or re-links) a Facebook identity to a signed-in user. Called from the Auth.js signIn
 * callback on every successful Facebook callback, because Auth.js never updates the tokens of an
 * already-linked account (docs/decisions: "tokens are written by our code").
 *
 * All Graph reads happen first (read-facebook-grant.ts); then ONE transaction writes the Account's
 * tokens (sealed by the vault), the MetaConnection and the ad accounts, plus the audit event.
 * Any failure throws a LinkError and writes nothing: the previous state stays whole.
 */
export type LinkFacebookInput = {
  userId: string;
  providerAccountId: string;
  name: string;
  accessToken: string;
  /** Seconds the given token still lives (Auth.js: `account.expires_at - now`). */
  expiresIn?: number;
  tokenType?: string;
  scope?: string;
};

export type LinkFacebookDeps = {
  graph?: GraphClient;
  now?: () => Date;
  /** Defaults to META_SCOPES. */
  requiredScopes?: readonly string[];
  /** Items per Graph page (tests use small pages to exercise paging). */
  pageSize?: number;
};

export type LinkFacebookResult = {
  connectionId: string;
  status: "connected" | "permissions_missing";
  adAccountCount: number;
  relinked: boolean;
  missingScopes: string[];
  /** Sequential Graph round trips on the critical path, and every Graph request made. */
  roundTrips: number;
  graphRequests: number;
};

const inputSchema = z.object({
  userId: z.string().min(1).max(64),
  providerAccountId: z.string().regex(/^\d{1,32}$/, "must be Facebook's app-scoped user id"),
  name: z.string().trim().transform((v) => v.slice(0, 200)),
  accessToken: z.string().min(1).max(4096),
  expiresIn: z.number().int().optional(),
  tokenType: z.string().max(32).optional(),
  scope: z.string().max(2000).optional(),
});

const identityOwner = (db: Pick<Db, "account">, providerAccountId: string) =>
  db.account.findUnique({ where: { provider_providerAccountId: { provider: "facebook", providerAccountId } }, select: { id: true, userId: true } });

export async function linkFacebook(db: Db, rawInput: LinkFacebookInput, deps: LinkFacebookDeps = {}): Promise<LinkFacebookResult> {
  const started = performance.now();
  const parsed = inputSchema.safeParse(rawInput);
  if (!parsed.success) throw new LinkError("link_failed", { cause: parsed.error });
  const input = parsed.data;
  const now = (deps.now ?? (() => new Date()))();
  const required = deps.requiredScopes ?? configuredScopes();

  // Refuse early, before talking to Meta; checked again inside the transaction.
  const owner = await identityOwner(db, input.providerAccountId);
  if (owner && owner.userId !== input.userId) throw new LinkError("identity_in_use");

  const grant = await readFacebookGrant(deps.graph ?? graphClientFromEnv(), {
    providerAccountId: input.providerAccountId,
    accessToken: input.accessToken,
    expiresIn: input.expiresIn,
    tokenType: input.tokenType,
    required,
    now,
    pageSize: deps.pageSize,
  });
  const graphMs = performance.now() - started;

  let written: { connectionId: string; relinked: boolean; statements: number };
  try {
    written = await writeLink(db, input, grant, now);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      // Two links of one identity raced; the loser sees who won.
      const winner = await identityOwner(db, input.providerAccountId);
      if (winner && winner.userId !== input.userId) throw new LinkError("identity_in_use", { cause: error });
    }
    throw toLinkError(error, "read");
  }

  const status = grant.scopes.missing.length > 0 ? "permissions_missing" : "connected";
  logger.info(
    {
      link: {
        userId: input.userId,
        connectionId: written.connectionId,
        relinked: written.relinked,
        status,
        adAccounts: grant.accounts.length,
        roundTrips: grant.roundTrips,
        graphRequests: grant.requests,
        dbStatements: written.statements,
        ms: { graph: Math.round(graphMs), total: Math.round(performance.now() - started) },
      },
    },
    "facebook link written",
  );
  return {
    connectionId: written.connectionId,
    status,
    adAccountCount: grant.accounts.length,
    relinked: written.relinked,
    missingScopes: grant.scopes.missing,
    roundTrips: grant.roundTrips,
    graphRequests: grant.requests,
  };
}

async function writeLink(db: Db, input: z.infer<typeof inputSchema>, grant: FacebookGrant, now: Date) {
  const status = grant.scopes.missing.length > 0 ? "permissions_missing" : "connected";
  return db.$transaction(
    async (tx) => {
      const existing = await identityOwner(tx, input.providerAccountId);
      if (existing && existing.userId !== input.userId) throw new LinkError("identity_in_use");
      const tokens = {
        access_token: grant.token,
        expires_at: grant.expiresAt,
        token_type: grant.tokenType ?? "bearer",
        scope: grant.scopes.granted.join(","),
      };
      const accountId = existing
        ? (await tx.account.update({ where: { id: existing.id }, data: tokens, select: { id: true } })).id
        : (
            await tx.account.create({
              data: { userId: input.userId, type: "oauth", provider: "facebook", providerAccountId: input.providerAccountId, ...tokens },
              select: { id: true },
            })
          ).id;
      const fields = {
        metaUserId: input.providerAccountId,
        name: input.name || "Facebook user",
        status,
        grantedScopes: grant.scopes.granted,
        declinedScopes: grant.scopes.declined,
        granularScopes: (grant.debug.granular_scopes ?? []) as Prisma.InputJsonValue,
        tokenExpiresAt: grant.expiresAt === null ? null : new Date(grant.expiresAt * 1000),
        dataAccessExpiresAt: grant.dataAccessExpiresAt === null ? null : new Date(grant.dataAccessExpiresAt * 1000),
        // The last (re)link: Meta callbacks signed before it are about an older grant.
        linkedAt: now,
        lastCheckedAt: now,
        lastErrorCode: null,
        lastErrorSubcode: null,
        lastErrorMessage: null,
        relinkRequestedAt: null,
        relinkRequestedBy: null,
      } as const;
      const connection = await tx.metaConnection.upsert({
        where: { accountId },
        create: { userId: input.userId, accountId, ...fields },
        update: fields,
        select: { id: true },
      });
      const replaced = await replaceAdAccounts(tx, { userId: input.userId, connectionId: connection.id, accounts: grant.accounts, now });
      const relinked = existing !== null;
      await recordAuditEvent(tx, {
        actorId: input.userId,
        userId: input.userId,
        action: relinked ? "relinked" : "linked",
        connectionId: connection.id,
        detail: { status, adAccounts: replaced.total, added: replaced.added, removed: replaced.removed, missingScopes: grant.scopes.missing },
      });
      // identity check + account + connection + audit, plus the ad-account statements.
      return { connectionId: connection.id, relinked, statements: 4 + replaced.statements };
    },
    // Thousands of ad accounts on the embedded database can take longer than Prisma's 5 s default.
    { timeout: 60_000, maxWait: 10_000 },
  );
}
