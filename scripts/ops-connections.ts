import { parseArgs } from "node:util";
import { ZodError } from "zod";
import { env } from "../src/env";
import { parseKeyRing } from "../src/server/crypto";
import { createAppClient } from "../src/server/db/vault";
import { withScriptDatabase } from "../src/server/db/script-database";
import { fromZodError } from "../src/server/errors";
import { listOpsConnections, type OpsConnectionView } from "../src/server/ops/list-ops-connections";
import { opsConnectionsQuery } from "../src/server/ops/schema";

/**
 * `npm run ops:connections -- [--health expiring] [--within 7d] [--json]`: the ops connection
 * table on the command line — the same data as /ops/connections, which never includes a token.
 */
const USAGE = "Usage: npm run ops:connections -- [--health connected|expiring|expired|needs_relink|revoked|permissions_missing|error] [--within 7d] [--json]";

let args;
try {
  args = parseArgs({ options: { health: { type: "string" }, within: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean" } }, strict: true }).values;
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
let filters;
try {
  filters = opsConnectionsQuery.parse(Object.fromEntries(Object.entries({ health: args.health, withinDays: args.within }).filter(([, v]) => v !== undefined)));
} catch (error) {
  console.error(`${error instanceof ZodError ? fromZodError(error).message : String(error)}\n${USAGE}`);
  process.exit(2);
}

const day = (iso: string | null, none: string) => (iso ? iso.slice(0, 10) : none);
const COLUMNS: [string, (c: OpsConnectionView) => string][] = [
  ["OWNER", (c) => c.owner.email],
  ["FACEBOOK", (c) => c.name],
  ["HEALTH", (c) => c.health],
  ["TOKEN", (c) => day(c.tokenExpiresAt, "never")],
  ["DATA ACCESS", (c) => day(c.dataAccessExpiresAt, "unknown")],
  ["CHECKED", (c) => day(c.lastCheckedAt, "never")],
  ["ADS", (c) => String(c.adAccountCount)],
  ["RELINK ASKED", (c) => day(c.relinkRequestedAt, "")],
  ["LAST ERROR", (c) => (c.lastError ? `${c.lastError.code ?? ""} ${c.lastError.message}`.slice(0, 60) : "")],
  ["ID", (c) => c.id],
];

const config = env();
await withScriptDatabase(async (url) => {
  const db = createAppClient(url, parseKeyRing(config.encryptionKeys), { max: 2 });
  try {
    const o = { now: new Date(), expiringDays: config.health.expiringDays };
    const rows: OpsConnectionView[] = [];
    let cursor: string | undefined;
    let counts;
    do {
      const page = await listOpsConnections(db, { ...filters, cursor, limit: 500 }, o);
      rows.push(...page.data);
      counts = page.counts;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    if (args.json) {
      console.log(JSON.stringify({ counts, data: rows }, null, 2));
      return;
    }
    const { total, ...byHealth } = counts;
    console.log(`All connections: ${total} — ${Object.entries(byHealth).map(([h, n]) => `${h} ${n}`).join(", ")}`);
    const table = [COLUMNS.map(([h]) => h), ...rows.map((c) => COLUMNS.map(([, f]) => f(c)))];
    const widths = COLUMNS.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
    for (const r of table) console.log(r.map((v, i) => v.padEnd(widths[i]!)).join("  ").trimEnd());
    console.log(`${rows.length} shown${filters.health ? `, health ${filters.health}` : ""}${filters.withinDays !== undefined ? `, ending within ${filters.withinDays} days` : ""}.`);
  } finally {
    await db.$disconnect();
  }
});
