import "server-only";
import { LinkError, toLinkError as toSharedLinkError } from "@/server/connections/link-error";
import { unwrap, type GraphClient } from "./client";
import { MetaPermissionError, toMetaError } from "./errors";
import { adAccountReads, collectAdAccounts, DEFAULT_PAGE_SIZE } from "./fetch-ad-accounts";
import { FACEBOOK } from "./identity";
import { debugTokenResponseSchema, permissionsResponseSchema, type DebugTokenData, type GraphAdAccount } from "./schema";
import { scopeState, type ScopeState } from "./scopes";

// A hidden object (100/33) while reading ad accounts is a refusal to share, not a bad request.
const toLinkError = (error: unknown, step: "exchange" | "read") =>
  step === "read" && error instanceof MetaPermissionError ? new LinkError("permission_denied", { cause: error, providerName: FACEBOOK.name }) : toSharedLinkError(FACEBOOK, error, step);

/**
 * The Graph half of a link: everything read from Meta before anything is written.
 *
 *   1. exchange for a long-lived token — skipped when the token already lives > 7 days (Meta's
 *      server-side code exchange often returns ~60-day tokens; re-exchanging one does not extend it);
 *   2. ONE batch with the long-lived token: debug_token (carrying the app token), /me/permissions,
 *      the first pages of /me/adaccounts and /me/businesses;
 *   3. ONE batch for every business's owned and client edges, then `next` pages (see fetch-ad-accounts.ts).
 *
 * Critical path for a user whose lists fit one page: 3 sequential round trips (2 without businesses),
 * minus one when the exchange is skipped.
 */
export const LONG_LIVED_MIN_SECONDS = 7 * 24 * 3600;

export type FacebookGrant = {
  token: string;
  tokenType?: string;
  /** Unix seconds, null = never expires. */
  expiresAt: number | null;
  dataAccessExpiresAt: number | null;
  debug: DebugTokenData;
  scopes: ScopeState;
  accounts: GraphAdAccount[];
  roundTrips: number;
  requests: number;
};

export async function readFacebookGrant(
  graph: GraphClient,
  o: { providerAccountId: string; accessToken: string; expiresIn?: number; tokenType?: string; required: readonly string[]; now: Date; pageSize?: number },
): Promise<FacebookGrant> {
  const pageSize = o.pageSize ?? DEFAULT_PAGE_SIZE;
  const nowSec = Math.floor(o.now.getTime() / 1000);
  let token = o.accessToken;
  let expiresIn = o.expiresIn;
  let tokenType = o.tokenType;
  let roundTrips = 0;

  if (!(expiresIn !== undefined && expiresIn > LONG_LIVED_MIN_SECONDS)) {
    try {
      const exchanged = await graph.exchangeForLongLivedToken(token);
      roundTrips++;
      token = exchanged.access_token;
      expiresIn = exchanged.expires_in;
      tokenType = exchanged.token_type ?? tokenType;
    } catch (error) {
      throw toLinkError(error, "exchange");
    }
  }

  try {
    const [ads, biz] = adAccountReads(pageSize);
    const [debugResult, permsResult, adsResult, bizResult] = await graph.batch(
      [
        { path: "debug_token", params: { input_token: token }, accessToken: graph.appToken, schema: debugTokenResponseSchema },
        { path: "me/permissions", schema: permissionsResponseSchema },
        ads,
        biz,
      ] as const,
      token,
    );
    roundTrips++;
    const debug = unwrap(debugResult).data;
    if (!debug.is_valid) {
      const e = debug.error;
      throw toMetaError({ code: e?.code ?? 190, error_subcode: e?.subcode, message: e?.message ?? "The access token is not valid." });
    }
    // The token must belong to our app and to the identity Auth.js says signed in.
    if ((debug.user_id && debug.user_id !== o.providerAccountId) || (debug.app_id && debug.app_id !== graph.appId)) {
      throw new LinkError("token_invalid", { providerName: FACEBOOK.name });
    }
    const scopes = scopeState(unwrap(permsResult).data, debug.scopes, o.required);
    const fetched = await collectAdAccounts(graph, token, { adAccounts: adsResult, businesses: bizResult }, new Set(scopes.granted), pageSize);
    const expiresAt = debug.expires_at !== undefined ? (debug.expires_at === 0 ? null : debug.expires_at) : expiresIn !== undefined ? nowSec + expiresIn : null;
    return {
      token,
      tokenType,
      expiresAt,
      dataAccessExpiresAt: debug.data_access_expires_at ? debug.data_access_expires_at : null,
      debug,
      scopes,
      accounts: fetched.accounts,
      roundTrips: roundTrips + fetched.roundTrips,
      requests: roundTrips + fetched.requests,
    };
  } catch (error) {
    throw toLinkError(error, "read");
  }
}
