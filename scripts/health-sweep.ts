import { env } from "../src/env";
import { parseKeyRing } from "../src/server/crypto";
import { createAppClient } from "../src/server/db/vault";
import { withScriptDatabase } from "../src/server/db/script-database";
import { countConnectionsByHealth } from "../src/server/ops/list-ops-connections";
import { sweepConnections } from "../src/server/health/sweep-connections";

/**
 * `npm run health:sweep`: checks every Facebook connection with Meta now (the same sweep the
 * server runs on its schedule) and prints a summary. Safe to run while the server runs: the
 * lease lets only one sweep work at a time. Prints counts and codes, never a token.
 */
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const config = env();
const code = await withScriptDatabase(async (url) => {
  const db = createAppClient(url, parseKeyRing(config.encryptionKeys), { max: 4 });
  try {
    const s = await sweepConnections(db, { trigger: "cli" });
    if (!s.ran) {
      console.log("Another health sweep is running (its lease is held); nothing was done. Try again when it finishes.");
      return 0;
    }
    console.log(`Health sweep ${s.reason === "lease_lost" ? "stopped early (lease lost)" : "finished"} in ${seconds(s.durationMs)}`);
    console.log(`  checked    ${s.checked}  (changed ${s.changed}, unchanged ${s.unchanged})`);
    console.log(`  not checked ${s.failed}  (Meta unavailable, throttled or token unreadable: status left as it was)`);
    console.log(`  Graph requests ${s.graphRequests}, DB statements ${s.dbStatements}, waited for rate limits ${seconds(s.waitedMs)}`);
    const changes = Object.entries(s.transitions);
    if (changes.length > 0) console.log(`  changes: ${changes.map(([k, n]) => `${k.replace("->", " → ")} ${n}`).join(", ")}`);
    const counts = await countConnectionsByHealth(db, { now: new Date(), expiringDays: config.health.expiringDays });
    const { total, ...byHealth } = counts;
    console.log(`Connections now: ${total} — ${Object.entries(byHealth).map(([h, n]) => `${h} ${n}`).join(", ")}`);
    if (s.failed > 0 && s.checked === 0) {
      console.log(`Nothing could be checked. Is Meta reachable at ${config.meta.graphUrl}?${config.sandbox ? " (sandbox mode: the app server must be running)" : ""}`);
      return 1;
    }
    return 0;
  } finally {
    await db.$disconnect();
  }
});
process.exit(code);
