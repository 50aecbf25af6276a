import "server-only";
import { z } from "zod";
import { replaceAdAccounts } from "@/server/ad-accounts/replace-ad-accounts";
import { assertIdentityFree, linkConnection } from "@/server/connections/link-connection";
import { LinkError } from "@/server/connections/link-error";
import type { Db } from "@/server/db";
import type { Prisma } from "@prisma/client";
import type { LinkGrant } from "@/server/integrations/types";
import { graphClientFromEnv, type GraphClient } from "./client";
import { FACEBOOK } from "./identity";
import { readFacebookGrant, type FacebookGrant } from "./read-grant";
import { requiredScopes as configuredScopes } from "./scopes";

/**
 * Links (or re-links) a Facebook identity to a signed-in user: every Graph read first
 * (read-grant.ts), then the shared link step writes tokens, connection, ad accounts and the audit
 * event in one transaction (src/server/connections/link-connection.ts). Any failure throws a
 * LinkError and writes nothing.
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
  avatarUrl?: string | null;
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
  avatarUrl: z.url().max(2000).nullish(),
});

/** The grant as the shared link step writes it; ad accounts are written in its transaction. */
export function toLinkGrant(input: { providerAccountId: string; name: string; avatarUrl?: string | null }, grant: FacebookGrant): LinkGrant {
  return {
    externalId: input.providerAccountId,
    name: input.name || "Facebook user",
    avatarUrl: input.avatarUrl ?? null,
    tokens: { accessToken: grant.token, tokenType: grant.tokenType ?? "bearer", scope: grant.scopes.granted.join(","), expiresAt: grant.expiresAt },
    dataAccessExpiresAt: grant.dataAccessExpiresAt === null ? null : new Date(grant.dataAccessExpiresAt * 1000),
    scopes: grant.scopes,
    details: { granularScopes: (grant.debug.granular_scopes ?? []) as Prisma.InputJsonValue },
    writeAssets: async (tx, o) => {
      const replaced = await replaceAdAccounts(tx, { userId: o.userId, connectionId: o.connectionId, accounts: grant.accounts, now: o.now });
      return { counts: { adAccounts: replaced.total, added: replaced.added, removed: replaced.removed }, statements: replaced.statements };
    },
    assetCounts: { adAccounts: grant.accounts.length },
    metrics: { roundTrips: grant.roundTrips, graphRequests: grant.requests },
  };
}

export async function linkFacebook(db: Db, rawInput: LinkFacebookInput, deps: LinkFacebookDeps = {}): Promise<LinkFacebookResult> {
  const parsed = inputSchema.safeParse(rawInput);
  if (!parsed.success) throw new LinkError("link_failed", { cause: parsed.error, providerName: FACEBOOK.name });
  const input = parsed.data;
  const now = (deps.now ?? (() => new Date()))();

  // Refuse early, before talking to Meta; checked again inside the transaction.
  await assertIdentityFree(db, FACEBOOK, input.userId, input.providerAccountId);
  const grant = await readFacebookGrant(deps.graph ?? graphClientFromEnv(), {
    providerAccountId: input.providerAccountId,
    accessToken: input.accessToken,
    expiresIn: input.expiresIn,
    tokenType: input.tokenType,
    required: deps.requiredScopes ?? configuredScopes(),
    now,
    pageSize: deps.pageSize,
  });
  const result = await linkConnection(db, FACEBOOK, { userId: input.userId, grant: toLinkGrant(input, grant), now });
  return {
    connectionId: result.connectionId,
    status: result.status,
    adAccountCount: grant.accounts.length,
    relinked: result.relinked,
    missingScopes: result.missingScopes,
    roundTrips: grant.roundTrips,
    graphRequests: grant.requests,
  };
}
