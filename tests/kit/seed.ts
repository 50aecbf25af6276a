import { randomBytes } from "node:crypto";
import type { ConnectionState, Prisma } from "@prisma/client";
import { z } from "zod";
import type { Db } from "@/server/db";
import type { MetaSandboxKit } from "./meta-sandbox";

/**
 * THE way tests and benchmarks put a linked connection in the database without running the link
 * flow (the link flow has its own tests): a user (or the given one), an Account holding a token
 * the sandbox issued (sealed by the vault), a Connection, and optionally ad accounts — synthetic
 * ones (`adAccounts: n`) or one of the persona's real accounts as Meta describes it, selected
 * (`selectAdAccount: index`).
 */
export type SeedOptions = {
  persona?: string;
  scopes?: string[];
  state?: ConnectionState;
  email?: string;
  name?: string;
  /** Defaults to the persona's app-scoped id in this sandbox. */
  externalId?: string;
  /** Link to this existing user instead of creating one. */
  userId?: string;
  /** Another provider's connection (tests of the shared code); the token is still a sandbox-issued string. */
  provider?: string;
  /** Store a refresh token too (the connection can refresh). */
  refreshToken?: string;
  adAccounts?: number;
  selectAdAccount?: number;
  /** Any other connection columns (expiries, last error…). */
  fields?: Partial<Prisma.ConnectionUncheckedCreateInput>;
};

export type SeededConnection = {
  userId: string;
  connectionId: string;
  accountId: string;
  token: string;
  tokenId: string;
  externalId: string;
  /** Set with `selectAdAccount`. */
  adAccount?: { rowId: string; adAccountId: string; currency: string; timeZone: string };
};

/** @link https://developers.facebook.com/docs/marketing-api/reference/ad-account */
const adAccountNode = z.object({ id: z.string(), account_id: z.string(), name: z.string(), currency: z.string(), timezone_name: z.string(), account_status: z.number() });

const PERSONA_DIGIT: Record<string, number> = { solo: 1, agency: 2, disabled: 3, pages: 4 };

export async function seedLinkedConnection(
  db: Db,
  kit: Pick<MetaSandboxKit, "sandbox"> & Partial<Pick<MetaSandboxKit, "graph" | "clock">>,
  o: SeedOptions = {},
): Promise<SeededConnection> {
  const persona = o.persona ?? "solo";
  const scopes = o.scopes ?? ["ads_read", "business_management"];
  const issued = kit.sandbox.control.issueToken({ persona, scopes, lifetime: "long" });
  const now = kit.clock?.now() ?? new Date(kit.sandbox.control.now());
  const externalId = o.externalId ?? issued.userId;
  const tokenExpiresAt = issued.expiresIn ? new Date(now.getTime() + issued.expiresIn * 1000) : null;
  const userId =
    o.userId ??
    (await db.user.create({ data: { email: o.email ?? `${persona}-${randomBytes(4).toString("hex")}@example.com`, name: o.name ?? persona }, select: { id: true } })).id;
  const account = await db.account.create({
    data: {
      userId,
      type: "oauth",
      provider: o.provider ?? "facebook",
      providerAccountId: externalId,
      access_token: issued.accessToken,
      refresh_token: o.refreshToken ?? null,
      token_type: "bearer",
      expires_at: tokenExpiresAt ? Math.floor(tokenExpiresAt.getTime() / 1000) : null,
    },
    select: { id: true },
  });
  const connection = await db.connection.create({
    data: {
      userId,
      accountId: account.id,
      provider: o.provider ?? "facebook",
      externalId,
      canRefresh: Boolean(o.refreshToken),
      assetCounts: { adAccounts: (o.adAccounts ?? 0) + (o.selectAdAccount !== undefined ? 1 : 0) },
      name: o.name ?? persona,
      state: o.state ?? "connected",
      grantedScopes: scopes,
      declinedScopes: [],
      tokenExpiresAt,
      dataAccessExpiresAt: new Date(now.getTime() + 90 * 86_400_000),
      linkedAt: now,
      lastCheckedAt: now,
      ...o.fields,
    },
    select: { id: true },
  });
  if (o.adAccounts) {
    await db.metaAdAccount.createMany({
      data: Array.from({ length: o.adAccounts }, (_, i) => ({
        connectionId: connection.id,
        userId,
        adAccountId: `act_9${randomBytes(5).readUIntBE(0, 5)}${i}`,
        accountId: `9${i}`,
        name: `Account ${i}`,
        currency: "EUR",
        timezoneName: "Europe/Berlin",
        accountStatus: 1,
      })),
    });
  }
  let adAccount: SeededConnection["adAccount"];
  if (o.selectAdAccount !== undefined) {
    if (!kit.graph) throw new Error("seedLinkedConnection: selectAdAccount reads the account from the sandbox; pass a kit with a graph client");
    const id = `act_12${PERSONA_DIGIT[persona] ?? 1}${String(o.selectAdAccount).padStart(10, "0")}`;
    const node = await kit.graph.get(id, adAccountNode, issued.accessToken, { fields: "id,account_id,name,currency,timezone_name,account_status" });
    kit.sandbox.control.clearRequestLog();
    const row = await db.metaAdAccount.create({
      data: {
        connectionId: connection.id,
        userId,
        adAccountId: node.id,
        accountId: node.account_id,
        name: node.name,
        currency: node.currency,
        timezoneName: node.timezone_name,
        accountStatus: node.account_status,
        isSelected: true,
      },
      select: { id: true, currency: true, timezoneName: true },
    });
    adAccount = { rowId: row.id, adAccountId: node.id, currency: row.currency, timeZone: row.timezoneName };
  }
  return { userId, connectionId: connection.id, accountId: account.id, token: issued.accessToken, tokenId: issued.tokenId, externalId, adAccount };
}
