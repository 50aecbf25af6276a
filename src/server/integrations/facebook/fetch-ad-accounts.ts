import "server-only";
import { unwrap, type BatchRequest, type BatchResult, type GraphClient } from "./client";
import { MetaPermissionError } from "./errors";
import { adAccountSchema, businessSchema, pageSchema, permissionsResponseSchema, type Business, type GraphAdAccount, type Page } from "./schema";

/**
 * Every ad account a user can reach: `/me/adaccounts` plus each business's owned and client
 * edges, deduplicated by `act_` id. Shared by the link step and "Refresh from Meta".
 *
 * Round trips: the first pages of `/me/adaccounts` and `/me/businesses` come from the caller's
 * batch; then ONE batch (chunks of ≤ 50 in parallel) asks for every business edge, while
 * `/me/adaccounts` keeps paging in parallel; each edge with more pages is followed in parallel
 * with the others. Following `next` inside one edge is inherently sequential (opaque cursors).
 */

export const AD_ACCOUNT_FIELDS = "id,account_id,name,currency,timezone_name,account_status,disable_reason,business{id,name}";

/**
 * Items per page. Meta documents no maximum for these edges, and very large pages can fail with
 * code 1 "reduce the amount of data"; 500 keeps a 1,200-account agency to one page per edge.
 */
export const DEFAULT_PAGE_SIZE = 500;

const adAccountPage = pageSchema(adAccountSchema);
const businessPage = pageSchema(businessSchema);

export type AdAccountReads = readonly [BatchRequest<Page<GraphAdAccount>>, BatchRequest<Page<Business>>];

/** The two batch items that start the walk; put them in the caller's first batch. */
export function adAccountReads(pageSize = DEFAULT_PAGE_SIZE): AdAccountReads {
  return [
    { path: "me/adaccounts", params: { fields: AD_ACCOUNT_FIELDS, limit: String(pageSize) }, schema: adAccountPage },
    { path: "me/businesses", params: { fields: "id,name", limit: String(pageSize) }, schema: businessPage },
  ] as const;
}

export type FetchedAdAccounts = {
  accounts: GraphAdAccount[];
  /** Sequential Graph round trips after the first batch, on the longest path. */
  roundTrips: number;
  /** Every Graph HTTP request made after the first batch. */
  requests: number;
};

/**
 * A permission error on a listing edge means "nothing visible" only when the permission is indeed
 * not granted; otherwise it is a real failure and the link must not pretend the list is empty.
 */
function firstPage<T>(result: BatchResult<Page<T>>, scopeGranted: boolean): Page<T> {
  if (!result.ok && result.error instanceof MetaPermissionError && !scopeGranted) return { data: [] };
  return unwrap(result);
}

/** Prefers the row that carries `business` (the business edges know the owner; /me/adaccounts may not). */
export function dedupeAdAccounts(lists: GraphAdAccount[][]): GraphAdAccount[] {
  const byId = new Map<string, GraphAdAccount>();
  for (const list of lists) {
    for (const account of list) {
      const seen = byId.get(account.id);
      if (!seen || (!seen.business && account.business)) byId.set(account.id, account);
    }
  }
  return [...byId.values()];
}

export async function collectAdAccounts(
  graph: GraphClient,
  token: string,
  first: { adAccounts: BatchResult<Page<GraphAdAccount>>; businesses: BatchResult<Page<Business>> },
  granted: ReadonlySet<string>,
  pageSize = DEFAULT_PAGE_SIZE,
): Promise<FetchedAdAccounts> {
  let requests = 0;
  const count = () => requests++;
  const adsGranted = granted.has("ads_read") || granted.has("ads_management");
  const meFirst = firstPage(first.adAccounts, adsGranted);
  const bizFirst = firstPage(first.businesses, granted.has("business_management"));

  // Path 1: the rest of /me/adaccounts.
  let mePages = 0;
  const mine = graph.followPages(meFirst, adAccountSchema, token, () => {
    count();
    mePages++;
  });

  // Path 2: the rest of /me/businesses (rarely more than a page), then one batch for every edge,
  // then the rest of each edge in parallel.
  const businessPath = (async () => {
    let trips = 0;
    const businesses = await graph.followPages(bizFirst, businessSchema, token, () => {
      count();
      trips++;
    });
    if (businesses.length === 0) return { lists: [] as GraphAdAccount[][], trips };
    const edges = businesses.flatMap((b) =>
      (["owned_ad_accounts", "client_ad_accounts"] as const).map(
        (edge): BatchRequest<Page<GraphAdAccount>> => ({
          path: `${b.id}/${edge}`,
          params: { fields: AD_ACCOUNT_FIELDS, limit: String(pageSize) },
          schema: adAccountPage,
        }),
      ),
    );
    requests += Math.ceil(edges.length / 50);
    trips++;
    const pages = await graph.batch(edges, token);
    const edgeTrips: number[] = [];
    const lists = await Promise.all(
      pages.map(async (result, i) => {
        let n = 0;
        const list = await graph.followPages(unwrap(result), adAccountSchema, token, () => {
          count();
          n++;
        });
        edgeTrips[i] = n;
        return list;
      }),
    );
    return { lists, trips: trips + Math.max(0, ...edgeTrips) };
  })();

  const [meList, biz] = await Promise.all([mine, businessPath]);
  return { accounts: dedupeAdAccounts([...biz.lists, meList]), roundTrips: Math.max(mePages, biz.trips), requests };
}

/** A fresh walk with a stored token (sync): one batch for permissions and the first pages, then the walk. */
export async function fetchAdAccountsWithPermissions(graph: GraphClient, token: string, pageSize = DEFAULT_PAGE_SIZE) {
  const [adAccounts, businesses] = adAccountReads(pageSize);
  const [permissions, ads, biz] = await graph.batch(
    [{ path: "me/permissions", schema: permissionsResponseSchema }, adAccounts, businesses] as const,
    token,
  );
  const perms = unwrap(permissions).data;
  const granted = new Set(perms.filter((p) => p.status === "granted").map((p) => p.permission));
  const fetched = await collectAdAccounts(graph, token, { adAccounts: ads, businesses: biz }, granted, pageSize);
  return { ...fetched, permissions: perms, roundTrips: fetched.roundTrips + 1, requests: fetched.requests + 1 };
}
