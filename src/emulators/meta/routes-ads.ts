import { adAccountData } from "./ad-account-data";
import {
  ADS_SCOPE_MESSAGE,
  BUSINESS_SCOPE_MESSAGE,
  onlyGet,
  requireScope,
  userOf,
  type Ctx,
  type RouteResult,
} from "./context";
import { objectNotFound, unknownPath } from "./errors";
import { parseFields, project, validateSelection } from "./fields";
import { NODE_TYPES } from "./node-types";
import { paginate } from "./paging";
import { adAccountShared, tickedAdAccounts } from "./assets";
import { parseAdAccountNumber, rangesAt, rangesLength, type BusinessSpec, type Persona, type Range } from "./personas";
import { businessPages } from "./routes-pages";
import { now, type Grant } from "./state";

/** Ad accounts and businesses: /me/adaccounts, /me/businesses, /{business}/…_ad_accounts, /act_{id}. */

/** The ranges without the accounts the user did not share (granular consent; small personas only). */
function sharedOnly(persona: Persona, grant: Grant | undefined, ranges: Range[]): Range[] {
  if (tickedAdAccounts(persona, grant) === null) return ranges;
  return ranges.flatMap(([start, end]) => Array.from({ length: end - start }, (_, k) => start + k).filter((i) => adAccountShared(persona, grant, i)).map((i): Range => [i, i + 1]));
}

function accountList(ctx: Ctx, persona: Persona, allRanges: Range[], relation?: "owned" | "client"): RouteResult {
  const sel = parseFields(ctx.req.params.fields);
  validateSelection(NODE_TYPES, "AdAccount", sel);
  const at = now(ctx.s);
  const ranges = sharedOnly(persona, userOf(ctx).grant, allRanges);
  const total = rangesLength(ranges);
  const page = paginate(ctx.req, total, (pos) => {
    const i = rangesAt(ranges, pos) ?? 0;
    return project(NODE_TYPES, "AdAccount", adAccountData(ctx.s.seed, persona, i, at, relation), sel);
  });
  return { body: page };
}

export function meAdAccounts(ctx: Ctx): RouteResult {
  onlyGet(ctx, "me");
  const { persona, grant } = userOf(ctx);
  requireScope(grant, ADS_SCOPE_MESSAGE, "ads_read", "ads_management");
  return accountList(ctx, persona, persona.meAccounts);
}

function businessData(b: BusinessSpec, i: number) {
  return {
    id: b.id,
    name: b.name,
    verification_status: b.verificationStatus,
    created_time: `20${18 + i}-0${(i % 9) + 1}-14T09:30:00+0000`,
    timezone_id: 1,
    link: `https://business.facebook.com/settings/?business_id=${b.id}`,
    vertical: "ADVERTISING",
  };
}

export function meBusinesses(ctx: Ctx): RouteResult {
  onlyGet(ctx, "me");
  const { persona, grant } = userOf(ctx);
  requireScope(grant, BUSINESS_SCOPE_MESSAGE, "business_management");
  const sel = parseFields(ctx.req.params.fields);
  validateSelection(NODE_TYPES, "Business", sel);
  const list = persona.businesses;
  return { body: paginate(ctx.req, list.length, (pos) => project(NODE_TYPES, "Business", businessData(list[pos]!, pos), sel)) };
}

/** Business node and its ad account edges; the caller must be a person in that business. */
export function businessRoute(ctx: Ctx, id: string, edge: string | undefined, rest: string[]): RouteResult | null {
  if (ctx.token.type === "APP") return null;
  const { persona, grant } = userOf(ctx);
  const idx = persona.businesses.findIndex((b) => b.id === id);
  if (idx < 0) return null;
  const b = persona.businesses[idx]!;
  if (rest.length > 0) throw unknownPath(`/${rest.join("/")}`);
  onlyGet(ctx, id);
  requireScope(grant, BUSINESS_SCOPE_MESSAGE, "business_management");
  if (!edge) return { body: project(NODE_TYPES, "Business", businessData(b, idx), parseFields(ctx.req.params.fields)) };
  if (edge === "owned_ad_accounts") return accountList(ctx, persona, b.owned, "owned");
  if (edge === "client_ad_accounts") return accountList(ctx, persona, b.client, "client");
  if (edge === "owned_pages") return businessPages(ctx, persona, b.ownedPages ?? []);
  if (edge === "client_pages") return businessPages(ctx, persona, b.clientPages ?? []);
  throw unknownPath(`/${edge}`);
}

/** Resolve act_{id} to an account this token's user can see, or 100/33. */
export function resolveAdAccount(ctx: Ctx, actId: string): { persona: Persona; i: number; number: string } {
  const number = actId.slice(4);
  const parsed = parseAdAccountNumber(number);
  if (ctx.token.type === "APP") throw objectNotFound(actId);
  const { persona, grant } = userOf(ctx);
  if (!parsed || parsed.personaIndex !== persona.index || parsed.i >= persona.accountCount || !adAccountShared(persona, grant, parsed.i)) throw objectNotFound(actId);
  requireScope(grant, ADS_SCOPE_MESSAGE, "ads_read", "ads_management");
  ctx.usage.adAccount = number;
  ctx.usage.kind ??= "ads_management";
  return { persona, i: parsed.i, number };
}

export function adAccountNode(ctx: Ctx, actId: string): RouteResult {
  onlyGet(ctx, actId);
  const { persona, i } = resolveAdAccount(ctx, actId);
  const owner = persona.ownerOf(i);
  const data = adAccountData(ctx.s.seed, persona, i, now(ctx.s), owner?.relation);
  return { body: project(NODE_TYPES, "AdAccount", data, parseFields(ctx.req.params.fields)) };
}
