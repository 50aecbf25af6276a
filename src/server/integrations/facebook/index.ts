import "server-only";
import { env, SANDBOX_APP } from "@/env";
import { LinkError } from "@/server/connections/link-error";
import type { CheckContext, ProviderAdapter, StoredTokens } from "@/server/integrations/types";
import { checkTokens } from "./check-tokens";
import { createGraphClient, type GraphClient, type GraphClientOptions } from "./client";
import { fetchAdAccountsWithPermissions } from "./fetch-ad-accounts";
import { FACEBOOK } from "./identity";
import { toLinkGrant } from "@/server/integrations/facebook/link-facebook";
import { facebookProvider } from "./provider";
import { readFacebookGrant } from "./read-grant";
import { replaceAdAccounts } from "@/server/ad-accounts/replace-ad-accounts";
import { scopeState } from "./scopes";
import { sharedPause } from "@/server/rate-limits/shared-rate-limits";
import { META_APP_LIMIT } from "./rate-limit-keys";
import { createUsageGate, type UsageGate } from "./usage-gate";

/**
 * The Facebook adapter: Meta's Login dialog through Auth.js, long-lived user tokens (no refresh
 * tokens), debug_token checks in batches of 50 with the app token, revoke by
 * `DELETE /me/permissions`, ad accounts as assets. Everything Facebook-specific lives in this folder.
 */
export type FacebookAdapterOptions = {
  /** Graph settings over the configured ones (tests point them at an in-process sandbox). */
  graph?: Partial<GraphClientOptions>;
  /** A ready client for single calls (link, sync, revoke); default: one built from `graph`. */
  client?: GraphClient;
  requiredScopes?: readonly string[];
  /** Items per Graph page (tests use small pages to exercise paging). */
  pageSize?: number;
};

export function createFacebookAdapter(o: FacebookAdapterOptions = {}): ProviderAdapter {
  const graphOptions = (): GraphClientOptions => {
    const meta = env().meta;
    return { appId: meta.appId, appSecret: meta.appSecret, graphUrl: meta.graphUrl, graphVersion: meta.graphVersion, ...o.graph };
  };
  const client = () => o.client ?? createGraphClient(graphOptions());
  const required = () => [...(o.requiredScopes ?? env().meta.scopes)];

  return {
    ...FACEBOOK,
    assetKinds: ["adAccounts"],
    settings() {
      // META_APP_ID / META_APP_SECRET are required by src/env.ts unless the sandbox is on.
      return { configured: true, sandbox: env().sandbox, missing: [] };
    },
    requiredScopes: required,
    link: {
      kind: "oauth",
      authjs: () => facebookProvider(env().meta),
      reconnectParams: ({ missingScopes }) => (missingScopes.length > 0 ? { auth_type: "rerequest" } : undefined),
      async readGrant({ account, profile, now }) {
        if (!account.access_token) throw new LinkError("token_exchange_failed", { providerName: FACEBOOK.name });
        const expiresIn = account.expires_at ? account.expires_at - Math.floor(now.getTime() / 1000) : undefined;
        const grant = await readFacebookGrant(client(), {
          providerAccountId: account.providerAccountId,
          accessToken: account.access_token,
          expiresIn,
          tokenType: account.token_type ?? undefined,
          required: required(),
          now,
          pageSize: o.pageSize,
        });
        const picture = (profile as { picture?: { data?: { url?: string } } } | undefined)?.picture?.data?.url;
        const name = typeof profile?.name === "string" ? profile.name.trim().slice(0, 200) : "";
        return toLinkGrant({ providerAccountId: account.providerAccountId, name, avatarUrl: picture ?? null }, grant);
      },
    },
    async checkTokens(tokens, ctx: CheckContext) {
      // One gate and client per sweep: a pause Meta asked for holds across pages.
      let session = ctx.carry.get("facebook") as { gate: UsageGate; graph: GraphClient } | undefined;
      if (!session) {
        // Meta's app-level budget is shared with every process (insights too): holds live in the database.
        const gate = createUsageGate(ctx.clock, sharedPause(ctx.db, META_APP_LIMIT));
        session = { gate, graph: createGraphClient({ ...graphOptions(), fetch: gate.wrap(o.graph?.fetch ?? fetch) }) };
        ctx.carry.set("facebook", session);
      }
      const { gate, graph } = session;
      const before = gate.stats();
      const results = await checkTokens(
        graph,
        tokens.map((t) => ({ key: t.key, token: t.tokens.accessToken })),
        { gate, batchSize: ctx.batchSize, concurrency: ctx.concurrency, retries: ctx.retries, maxThrottleRounds: ctx.maxThrottleRounds },
      );
      const after = gate.stats();
      return {
        results,
        requests: after.requests - before.requests,
        waitedMs: after.waitedMs - before.waitedMs,
        statements: after.sharedStatements - before.sharedStatements,
        peakUsagePct: after.peakPressure,
      };
    },
    async revoke(tokens: StoredTokens) {
      return client().revokePermissions(tokens.accessToken);
    },
    async sync({ tokens }) {
      const fetched = await fetchAdAccountsWithPermissions(client(), tokens.accessToken, o.pageSize);
      return {
        scopes: scopeState(fetched.permissions, [], required()),
        writeAssets: async (tx, w) => {
          const replaced = await replaceAdAccounts(tx, { userId: w.userId, connectionId: w.connectionId, accounts: fetched.accounts, now: w.now });
          return { counts: { adAccounts: replaced.total, added: replaced.added, removed: replaced.removed, updated: replaced.updated }, statements: replaced.statements };
        },
        assetCounts: { adAccounts: fetched.accounts.length },
        metrics: { roundTrips: fetched.roundTrips, graphRequests: fetched.requests },
      };
    },
    sandbox: {
      emulator: "meta",
      // Only ever the throwaway sandbox app: never a configured META_APP_SECRET.
      app: () => ({ clientId: SANDBOX_APP.appId, clientSecret: SANDBOX_APP.appSecret, redirectUris: [`${env().authUrl}/api/auth/callback/${FACEBOOK.id}`] }),
    },
  };
}

export const facebook = createFacebookAdapter();
