import { env } from "@/env";
import { parseKeyRing } from "@/server/crypto";
import { createBaseClient } from "@/server/db/client";
import { withScriptDatabase } from "@/server/db/script-database";
import { getVaultStatus } from "@/server/vault/get-vault-status";

// npm run vault:status — how many stored values sit under each key id (runbook: docs/operations.md)
async function main() {
  const ring = parseKeyRing(env().encryptionKeys);
  const status = await withScriptDatabase(async (url) => {
    const db = createBaseClient(url, { max: 1 });
    try {
      return await getVaultStatus(db, ring);
    } finally {
      await db.$disconnect();
    }
  });
  console.log(`Current key: ${status.currentKeyId}`);
  console.log("Values per key id:");
  for (const k of status.keys) {
    const label = k.current ? "current" : k.inRing ? "decrypt only" : "NOT CONFIGURED — these values cannot be read";
    console.log(`  ${k.keyId.padEnd(16)} ${String(k.count).padStart(8)}  (${label})`);
  }
  console.log(`  ${"plaintext".padEnd(16)} ${String(status.plaintext).padStart(8)}`);
  console.log("Per column:");
  for (const c of status.columns) {
    const parts = Object.entries(c.byKey).map(([kid, n]) => `${kid}=${n}`);
    if (c.plaintext > 0) parts.push(`plaintext=${c.plaintext}`);
    console.log(`  ${`${c.table}.${c.column}`.padEnd(28)} ${parts.join(" ") || "(empty)"}`);
  }
  const leftover = status.keys.filter((k) => !k.current && k.count > 0);
  console.log(
    leftover.length === 0
      ? "Nothing is stored under an old key."
      : `Still under old keys: ${leftover.map((k) => `${k.keyId} (${k.count})`).join(", ")} — run \`npm run vault:rotate\` before removing them.`,
  );
}

main().catch((error: unknown) => {
  const e = error as { code?: string; message?: string; hint?: string };
  console.error(e.code === "CONFIG_ERROR" ? `${e.message}\n${e.hint ?? ""}` : `vault:status failed: ${e.message ?? "unknown error"}`);
  process.exit(1);
});
