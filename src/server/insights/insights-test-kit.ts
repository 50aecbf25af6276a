import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db } from "@/server/db";
import type { MetaSandbox } from "@/emulators/meta";
import type { GraphClient } from "@/server/integrations/facebook/client";
import { sandboxGraph } from "@/server/integrations/facebook/test-sandbox";
import { getInsights, type GetInsightsOptions } from "./get-insights";
import type { RangeInput } from "./schema";
import type { InsightsReady, InsightsResult, InsightsRunning } from "./types";

/** Shared by the insights DB tests: a sandbox on a fixed virtual clock and a linked user. */

// A Saturday noon UTC: every zone the sandbox uses is on the same calendar day or close to it.
export const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
export const MINUTE = 60_000;
export const HOUR = 3_600_000;

/** @link https://developers.facebook.com/docs/marketing-api/reference/ad-account */
const adAccountNode = z.object({ id: z.string(), account_id: z.string(), name: z.string(), currency: z.string(), timezone_name: z.string(), account_status: z.number() });

let seed = 500;

/**
 * Rows of a user linked to `persona`, written directly (the link flow has its own tests):
 * Account with a long-lived token (sealed by the vault), a connected MetaConnection, and the
 * persona's ad account #`accountIndex` as Meta describes it.
 */
export async function writeLinkedRows(db: Db, sandbox: MetaSandbox, graph: GraphClient, persona = "solo", accountIndex = 0) {
  const now = sandbox.control.now();
  const issued = sandbox.control.issueToken({ persona, scopes: ["ads_read", "business_management"], lifetime: "long" });
  const personaDigit = { solo: 1, agency: 2, disabled: 3, pages: 4 }[persona] ?? 1;
  const adAccountId = `act_12${personaDigit}${String(accountIndex).padStart(10, "0")}`;
  const node = await graph.get(adAccountId, adAccountNode, issued.accessToken, { fields: "id,account_id,name,currency,timezone_name,account_status" });
  sandbox.control.clearRequestLog();

  const user = await db.user.create({ data: { email: `${persona}-${randomBytes(4).toString("hex")}@example.com` }, select: { id: true } });
  const account = await db.account.create({
    data: {
      userId: user.id,
      type: "oauth",
      provider: "facebook",
      providerAccountId: issued.userId,
      access_token: issued.accessToken,
      expires_at: Math.floor(now / 1000) + 60 * 86400,
    },
    select: { id: true },
  });
  const connection = await db.metaConnection.create({
    data: {
      userId: user.id,
      accountId: account.id,
      metaUserId: issued.userId,
      name: persona,
      grantedScopes: ["ads_read", "business_management"],
      declinedScopes: [],
      tokenExpiresAt: new Date(now + 60 * 86400_000),
    },
    select: { id: true },
  });
  const row = await db.metaAdAccount.create({
    data: {
      connectionId: connection.id,
      userId: user.id,
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
  return { userId: user.id, connectionId: connection.id, adAccountRowId: row.id, adAccountId, currency: row.currency, timeZone: row.timezoneName, token: issued.accessToken };
}

/** A linked user on a fresh in-process sandbox whose clock starts at T0, with helpers. */
export async function linkedUser(db: Db, persona = "solo", accountIndex = 0, wrapFetch?: (next: typeof fetch) => typeof fetch) {
  const kit = sandboxGraph({ sandbox: { seed: ++seed, now: () => T0 }, wrapFetch });
  const { sandbox, graph } = kit;
  const rows = await writeLinkedRows(db, sandbox, graph, persona, accountIndex);
  const { userId, adAccountId } = rows;
  // Rate-limit holds are per act_ id and every test's sandbox starts at T0: start each test unheld.
  await db.rateLimit.deleteMany({});
  const now = () => new Date(sandbox.control.now());
  const insights = (range: RangeInput, opts: Omit<GetInsightsOptions, "deps"> = {}) =>
    getInsights(db, userId, adAccountId, range, { ...opts, deps: { graph, now } });
  /** Graph requests since the last call to `requests()`, as "METHOD path". */
  const requests = () => {
    const log = sandbox.control.requestLog().map((e) => `${e.method} ${e.path.replace(/^\/v\d+\.\d+/, "")}`);
    sandbox.control.clearRequestLog();
    return log;
  };
  return { ...kit, ...rows, now, insights, requests };
}

/** The answer, asserted to be a ready one (with the actual answer in the failure message). */
export function ready(result: InsightsResult): InsightsReady {
  if (result.status !== "ready") throw new Error(`expected a ready answer, got ${JSON.stringify(result)}`);
  return result;
}

/** The answer, asserted to be a running async report. */
export function running(result: InsightsResult): InsightsRunning {
  if (result.status !== "running") throw new Error(`expected a running answer, got ${JSON.stringify(result)}`);
  return result;
}
