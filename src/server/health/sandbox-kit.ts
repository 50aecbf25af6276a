import { randomBytes } from "node:crypto";
import type { ConnectionStatus } from "@prisma/client";
import { createMetaSandbox, DEFAULT_APP, type MetaSandbox, type SandboxOptions } from "@/emulators/meta";
import type { Db } from "@/server/db";
import type { GraphClientOptions } from "@/server/integrations/facebook/client";
import type { Clock } from "./usage-gate";

/**
 * For health tests and the sweep benchmark: an in-process Meta sandbox, Graph settings that reach
 * it without sockets, a fake clock that IS the sandbox's virtual clock (a back-off "sleeps" by
 * advancing it), and stored connections holding sandbox-issued tokens.
 */
export const KIT_GRAPH_URL = "http://graph.sandbox.test";

export type SandboxKit = {
  sandbox: MetaSandbox;
  graph: (wrap?: (next: typeof fetch) => typeof fetch) => Partial<GraphClientOptions>;
  clock: Clock & { sleeps: number[] };
  /** Moves the fake clock and the sandbox's virtual clock together. */
  advance: (ms: number) => void;
};

export function sandboxKit(options: SandboxOptions = {}): SandboxKit {
  const sandbox = createMetaSandbox(options);
  const app = sandbox.apps[0] ?? DEFAULT_APP;
  const direct: typeof fetch = async (input, init) => sandbox(new Request(input, init));
  const sleeps: number[] = [];
  // Frozen except when advanced, so waits computed from it are exact; moves the sandbox along.
  const base = sandbox.control.now();
  let offset = 0;
  const advance = (ms: number) => {
    offset += ms;
    sandbox.control.advanceClock(ms);
  };
  return {
    sandbox,
    graph: (wrap) => ({ appId: app.appId, appSecret: app.appSecret, graphUrl: KIT_GRAPH_URL, graphVersion: "v25.0", fetch: wrap ? wrap(direct) : direct }),
    advance,
    clock: {
      sleeps,
      now: () => new Date(base + offset),
      sleep: async (ms) => {
        sleeps.push(ms);
        advance(ms);
      },
    },
  };
}

export type SeededConnection = { userId: string; connectionId: string; accountId: string; token: string; tokenId: string; metaUserId: string };

/** A user with a linked Facebook connection whose stored token the sandbox issued. */
export async function seedConnection(
  db: Db,
  kit: SandboxKit,
  o: { persona?: string; scopes?: string[]; status?: ConnectionStatus; email?: string; name?: string; metaUserId?: string; adAccounts?: number } = {},
): Promise<SeededConnection> {
  const persona = o.persona ?? "solo";
  const issued = kit.sandbox.control.issueToken({ persona, scopes: o.scopes ?? ["ads_read", "business_management"], lifetime: "long" });
  const now = kit.clock.now();
  const metaUserId = o.metaUserId ?? issued.userId;
  const user = await db.user.create({
    data: { email: o.email ?? `${persona}-${randomBytes(4).toString("hex")}@example.com`, name: o.name ?? persona },
    select: { id: true },
  });
  const account = await db.account.create({
    data: { userId: user.id, type: "oauth", provider: "facebook", providerAccountId: metaUserId, access_token: issued.accessToken, token_type: "bearer" },
    select: { id: true },
  });
  const connection = await db.metaConnection.create({
    data: {
      userId: user.id,
      accountId: account.id,
      metaUserId,
      name: o.name ?? persona,
      status: o.status ?? "connected",
      grantedScopes: o.scopes ?? ["ads_read", "business_management"],
      declinedScopes: [],
      tokenExpiresAt: issued.expiresIn ? new Date(now.getTime() + issued.expiresIn * 1000) : null,
      dataAccessExpiresAt: new Date(now.getTime() + 90 * 86_400_000),
      linkedAt: now,
      lastCheckedAt: now,
    },
    select: { id: true },
  });
  if (o.adAccounts) {
    await db.metaAdAccount.createMany({
      data: Array.from({ length: o.adAccounts }, (_, i) => ({
        connectionId: connection.id,
        userId: user.id,
        adAccountId: `act_9${randomBytes(5).readUIntBE(0, 5)}${i}`,
        accountId: `9${i}`,
        name: `Account ${i}`,
        currency: "EUR",
        timezoneName: "Europe/Berlin",
        accountStatus: 1,
      })),
    });
  }
  return { userId: user.id, connectionId: connection.id, accountId: account.id, token: issued.accessToken, tokenId: issued.tokenId, metaUserId };
}
