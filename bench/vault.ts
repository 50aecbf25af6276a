import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { open, parseKeyRing, seal } from "@/server/crypto";
import { createBaseClient } from "@/server/db/client";
import { createAppClient } from "@/server/db/vault";
import { createTestDatabase } from "@kit/db";

/**
 * npm run bench:vault — cost of the vault on one in-memory PGlite database (served over the wire
 * protocol, as in dev): reading 1,000 Account rows through the vault client vs a plain client,
 * creating 1,000, and the raw per-field seal/open cost. Ratios are measured in this one run.
 */
const ROWS = 1000;
const READ_ROUNDS = 15;
const WRITE_ROUNDS = 5;
// A long-lived Facebook user token is ~180–250 characters.
const token = (i: number) => `EAAG${randomBytes(150).toString("base64url")}${i}`;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
async function time(fn: () => Promise<unknown>) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function main() {
  process.env.TEST_DB_BACKEND = "pglite";
  const db = await createTestDatabase();
  const ring = parseKeyRing(`bench:${randomBytes(32).toString("base64")}`);
  const plain = createBaseClient(db.url);
  const vault = createAppClient(db.url, ring);
  try {
    const userId = (await plain.user.create({ data: { email: "bench@example.com" } })).id;
    const rows = (provider: string) =>
      Array.from({ length: ROWS }, (_, i) => ({ userId, type: "oauth", provider, providerAccountId: `${provider}-${i}`, access_token: token(i), token_type: "bearer" }));

    // Writes: createMany of 1,000 rows, alternating which client goes first.
    const writeRatios: number[] = [];
    const writeVault: number[] = [];
    const writePlain: number[] = [];
    for (let r = 0; r <= WRITE_ROUNDS; r++) {
      const a = rows(`w-vault-${r}`);
      const b = rows(`w-plain-${r}`);
      const [tv, tp] =
        r % 2 === 0
          ? [await time(() => vault.account.createMany({ data: a })), await time(() => plain.account.createMany({ data: b }))]
          : [await time(() => plain.account.createMany({ data: b })), await time(() => vault.account.createMany({ data: a }))].reverse();
      if (r === 0) continue; // warm-up
      writeVault.push(tv!);
      writePlain.push(tp!);
      writeRatios.push(tv! / tp!);
    }

    // Reads: the same 1,000-row shape, sealed for the vault client and plaintext for the plain one.
    await vault.account.createMany({ data: rows("read-vault") });
    await plain.account.createMany({ data: rows("read-plain") });
    let checksum = 0;
    const readVault = async () => {
      const found = await vault.account.findMany({ where: { provider: "read-vault" } });
      for (const row of found) checksum += row.access_token!.length;
    };
    const readPlain = async () => {
      const found = await plain.account.findMany({ where: { provider: "read-plain" } });
      for (const row of found) checksum += row.access_token!.length;
    };
    for (let i = 0; i < 5; i++) {
      await readVault();
      await readPlain();
    }
    // The plain client reading the very rows the vault reads (sealed: the same bytes on the wire).
    const readSealedPlain = async () => {
      const found = await plain.account.findMany({ where: { provider: "read-vault" } });
      for (const row of found) checksum += row.access_token!.length;
    };
    const readS: number[] = [];
    const readRatios: number[] = [];
    const readV: number[] = [];
    const readP: number[] = [];
    for (let r = 0; r < READ_ROUNDS * 2; r++) {
      let tv: number;
      let ts: number;
      if (r % 2 === 0) {
        tv = await time(readVault);
        ts = await time(readSealedPlain);
      } else {
        ts = await time(readSealedPlain);
        tv = await time(readVault);
      }
      const tp = await time(readPlain);
      readS.push(ts);
      readV.push(tv);
      readP.push(tp);
      readRatios.push(tv / tp);
    }

    // Reads that select no token column: the common case (identity checks, listing). Same rows for
    // both clients, alternating which goes first.
    const pick = { id: true, provider: true, providerAccountId: true, token_type: true } as const;
    const noTokV: number[] = [];
    const noTokP: number[] = [];
    const noTokRatios: number[] = [];
    for (let r = 0; r < 5; r++) {
      await vault.account.findMany({ where: { provider: "read-vault" }, select: pick });
      await plain.account.findMany({ where: { provider: "read-vault" }, select: pick });
    }
    for (let r = 0; r < READ_ROUNDS * 2; r++) {
      const v = () => time(() => vault.account.findMany({ where: { provider: "read-vault" }, select: pick }));
      const p = () => time(() => plain.account.findMany({ where: { provider: "read-vault" }, select: pick }));
      const [tv, tp] = r % 2 === 0 ? [await v(), await p()] : [await p(), await v()].reverse();
      noTokV.push(tv!);
      noTokP.push(tp!);
      noTokRatios.push(tv! / tp!);
    }

    // Per field, in isolation.
    const where = { table: "accounts", column: "access_token", rowId: "c0000000000000000000000000" };
    const sample = token(1);
    const sealed = seal(ring, sample, where);
    for (let i = 0; i < 2000; i++) open(ring, seal(ring, sample, where), where);
    const N = 20_000;
    let t0 = performance.now();
    for (let i = 0; i < N; i++) seal(ring, sample, where);
    const sealUs = ((performance.now() - t0) * 1000) / N;
    t0 = performance.now();
    for (let i = 0; i < N; i++) open(ring, sealed, where);
    const openUs = ((performance.now() - t0) * 1000) / N;

    const ms = (x: number) => `${x.toFixed(1)} ms`;
    console.log(`vault bench — PGlite in memory over its wire-protocol server, ${ROWS} Account rows, access_token of ${sample.length} chars`);
    console.log(`read  ${ROWS} rows (findMany, every token touched), ${READ_ROUNDS * 2} rounds after 5 warm-up:`);
    console.log(`  vault client   median ${ms(median(readV))}`);
    console.log(`  plain client   median ${ms(median(readP))}`);
    console.log(`  plain client reading the same sealed rows (no decryption) median ${ms(median(readS))}`);
    const decryptMs = (ROWS * openUs) / 1000;
    const tokenRatios = readV.map((tv, i) => tv / (readS[i]! + decryptMs));
    console.log(`  vault / plain on plaintext rows (longer values on the wire, decryption)  median ${median(readRatios).toFixed(3)}x`);
    console.log(
      `  TOKEN ROWS RATIO vault / (plain on the same rows + ${ROWS} x decrypt ${openUs.toFixed(2)} µs = ${ms(decryptMs)})  median ${median(tokenRatios).toFixed(3)}x  (target <= 1.25x)`,
    );
    console.log(
      `read  ${ROWS} rows selecting no token column, ${READ_ROUNDS * 2} rounds: vault ${ms(median(noTokV))}, plain ${ms(median(noTokP))}`,
    );
    console.log(`  NO-TOKEN RATIO vault / plain   median ${median(noTokRatios).toFixed(3)}x  (target <= 1.05x)`);
    console.log(`write ${ROWS} rows (createMany), ${WRITE_ROUNDS} rounds after 1 warm-up:`);
    console.log(`  vault client   median ${ms(median(writeVault))}`);
    console.log(`  plain client   median ${ms(median(writePlain))}`);
    console.log(`  WRITE RATIO    median ${median(writeRatios).toFixed(3)}x`);
    console.log(`per field (AES-256-GCM, ${sample.length}-char token, ${N} iterations):`);
    console.log(`  encrypt        ${sealUs.toFixed(2)} µs`);
    console.log(`  decrypt        ${openUs.toFixed(2)} µs`);
    if (checksum === 0) throw new Error("bench read nothing");
  } finally {
    await Promise.all([plain.$disconnect(), vault.$disconnect()]);
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
