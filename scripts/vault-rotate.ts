import { env } from "@/env";
import { parseKeyRing } from "@/server/crypto";
import { createBaseClient } from "@/server/db/client";
import { withScriptDatabase } from "@/server/db/script-database";
import { rotateKeys } from "@/server/vault/rotate-keys";

// npm run vault:rotate [-- --batch-size N] [--encrypt-plaintext]   (runbook: docs/operations.md)
const args = process.argv.slice(2);
const batchArg = args.indexOf("--batch-size");
const batchSize = batchArg >= 0 ? Number(args[batchArg + 1]) : 500;
if (!Number.isInteger(batchSize) || batchSize < 1) {
  console.error("--batch-size must be a positive integer");
  process.exit(2);
}

async function main() {
  const ring = parseKeyRing(env().encryptionKeys);
  const result = await withScriptDatabase(async (url) => {
    const db = createBaseClient(url, { max: 2 });
    try {
      console.log(`Re-encrypting under key "${ring.current.id}" (keys configured: ${ring.ids.join(", ")}), batches of ${batchSize}`);
      return await rotateKeys(db, ring, {
        batchSize,
        encryptPlaintext: args.includes("--encrypt-plaintext"),
        onProgress: (p) =>
          console.log(`  ${p.table}.${p.column} batch ${p.batch}: scanned ${p.scanned}, rotated ${p.rotated}, conflicts ${p.conflicts}, undecryptable ${p.undecryptable}`),
      });
    } finally {
      await db.$disconnect();
    }
  });
  const t = result.totals;
  console.log(
    `Done: ${t.rotated} values re-encrypted under "${result.keyId}"; ${t.conflicts} changed by the app meanwhile (already current), ` +
      `${t.undecryptable} undecryptable, ${t.plaintextSkipped} plaintext skipped, ${t.plaintextEncrypted} plaintext encrypted.`,
  );
  for (const c of result.columns.filter((col) => col.undecryptableIds.length > 0)) {
    console.log(`  ${c.table}.${c.column} undecryptable rows (owners must re-link): ${c.undecryptableIds.join(", ")}`);
  }
  if (t.plaintextSkipped > 0) console.log("  Plaintext values were left as they are; rerun with --encrypt-plaintext to encrypt them.");
  if (t.conflicts > 0) console.log("  Run `npm run vault:status` to confirm nothing is left under an old key.");
}

main().catch((error: unknown) => {
  const e = error as { code?: string; message?: string; hint?: string };
  console.error(e.code === "CONFIG_ERROR" ? `${e.message}\n${e.hint ?? ""}` : `vault:rotate failed: ${e.message ?? "unknown error"}`);
  process.exit(1);
});
