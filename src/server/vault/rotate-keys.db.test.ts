import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { envelopeKeyId, parseKeyRing } from "@/server/crypto";
import { createBaseClient, type BaseClient } from "@/server/db/client";
import { createAppClient, type AppClient } from "@/server/db/vault";
import { createTestDatabase, type TestDatabase } from "@kit/db";
import { getVaultStatus } from "./get-vault-status";
import { rotateKeys } from "./rotate-keys";

const K1 = `k1:${Buffer.alloc(32, 31).toString("base64")}`;
const K2 = `k2:${Buffer.alloc(32, 32).toString("base64")}`;
const OLD = parseKeyRing(K1);
const NEW = parseKeyRing(`${K2},${K1}`);

describe("key rotation", () => {
  let db: TestDatabase;
  let base: BaseClient;
  let before: AppClient;
  let after: AppClient;
  let userId: string;

  const keyIdsOf = async () =>
    (await base.account.findMany({ orderBy: { id: "asc" } })).flatMap((r) =>
      [r.access_token, r.refresh_token, r.id_token].filter((v): v is string => v !== null).map((v) => envelopeKeyId(v)),
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    base = createBaseClient(db.url);
    before = createAppClient(db.url, OLD);
    after = createAppClient(db.url, NEW);
    userId = (await base.user.create({ data: { email: "rotate@example.com" } })).id;
  });
  afterAll(async () => {
    await Promise.all([base.$disconnect(), before.$disconnect(), after.$disconnect()]);
    await db.close();
  });

  it("moves every value to the current key without losing a write made mid-rotation", async () => {
    await before.account.createMany({
      data: Array.from({ length: 7 }, (_, i) => ({
        id: `r-${i}`,
        userId,
        type: "oauth",
        provider: "facebook",
        providerAccountId: `r-${i}`,
        access_token: `AT-${i}`,
        refresh_token: i % 2 === 0 ? `RT-${i}` : null,
      })),
    });
    expect(await getVaultStatus(base, NEW)).toMatchObject({
      currentKeyId: "k2",
      keys: [
        { keyId: "k2", count: 0, inRing: true, current: true },
        { keyId: "k1", count: 11, inRing: true, current: false },
      ],
      plaintext: 0,
    });

    const progress: number[] = [];
    let injected = false;
    const result = await rotateKeys(base, NEW, {
      batchSize: 3,
      onProgress: (p) => progress.push(p.scanned),
      // Deterministic race: the app rewrites r-0's token after rotation read it and before it writes.
      beforeWrite: async ({ column, ids }) => {
        if (injected || column !== "access_token") return;
        injected = true;
        expect(ids[0]).toBe("r-0");
        await after.account.update({ where: { id: "r-0" }, data: { access_token: "AT-written-during-rotation" } });
      },
    });

    expect(result.keyId).toBe("k2");
    expect(result.totals).toEqual({ scanned: 11, rotated: 10, conflicts: 1, undecryptable: 0, plaintextSkipped: 0, plaintextEncrypted: 0 });
    expect(result.columns.map((c) => [c.column, c.scanned, c.rotated, c.conflicts])).toEqual([
      ["access_token", 7, 6, 1],
      ["refresh_token", 4, 4, 0],
      ["id_token", 0, 0, 0],
    ]);
    expect(progress).toEqual([3, 6, 7, 3, 4]);
    expect(await keyIdsOf()).toEqual(Array(11).fill("k2"));
    expect((await after.account.findUnique({ where: { id: "r-0" } }))?.access_token).toBe("AT-written-during-rotation");
    const rows = await after.account.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => r.access_token)).toEqual(["AT-written-during-rotation", "AT-1", "AT-2", "AT-3", "AT-4", "AT-5", "AT-6"]);
    expect(rows.map((r) => r.refresh_token)).toEqual(["RT-0", null, "RT-2", null, "RT-4", null, "RT-6"]);

    const status = await getVaultStatus(base, NEW);
    expect(status.keys).toEqual([
      { keyId: "k2", count: 11, inRing: true, current: true },
      { keyId: "k1", count: 0, inRing: true, current: false },
    ]);
    // The old key can now be removed: the new-key-only ring reads everything.
    const newOnly = createAppClient(db.url, parseKeyRing(K2));
    expect((await newOnly.account.findMany()).length).toBe(7);
    await newOnly.$disconnect();
  });

  it("is idempotent: a second run finds nothing to do", async () => {
    const result = await rotateKeys(base, NEW);
    expect(result.totals).toEqual({ scanned: 0, rotated: 0, conflicts: 0, undecryptable: 0, plaintextSkipped: 0, plaintextEncrypted: 0 });
  });

  it("is resumable: a run stopped after its first batch is finished by the next", async () => {
    const K3 = `k3:${Buffer.alloc(32, 33).toString("base64")}`;
    const ring = parseKeyRing(`${K3},${K2}`);
    await expect(
      rotateKeys(base, ring, {
        batchSize: 4,
        onProgress: () => {
          throw new Error("stopped");
        },
      }),
    ).rejects.toThrow("stopped");
    const partial = await getVaultStatus(base, ring);
    expect(partial.keys.map((k) => [k.keyId, k.count])).toEqual([["k3", 4], ["k2", 7]]);
    const rest = await rotateKeys(base, ring, { batchSize: 4 });
    expect(rest.totals.rotated).toBe(7);
    expect((await getVaultStatus(base, ring)).keys.map((k) => [k.keyId, k.count])).toEqual([["k3", 11], ["k2", 0]]);
  });

  it("skips undecryptable values and plaintext, and adopts plaintext only when asked", async () => {
    const K3 = `k3:${Buffer.alloc(32, 33).toString("base64")}`;
    const ring = parseKeyRing(`${K1},${K3}`);
    await base.$executeRawUnsafe(`UPDATE accounts SET id_token = access_token WHERE id = 'r-1'`);
    await base.$executeRawUnsafe(`UPDATE accounts SET id_token = 'legacy-plaintext' WHERE id = 'r-2'`);
    const first = await rotateKeys(base, ring);
    expect(first.totals).toMatchObject({ rotated: 11, undecryptable: 1, plaintextSkipped: 1, plaintextEncrypted: 0 });
    expect(first.columns[2]!.undecryptableIds).toEqual(["r-1"]);
    expect((await getVaultStatus(base, ring)).plaintext).toBe(1);
    const adopt = await rotateKeys(base, ring, { encryptPlaintext: true });
    expect(adopt.totals).toMatchObject({ scanned: 2, rotated: 0, plaintextEncrypted: 1, undecryptable: 1 });
    const app = createAppClient(db.url, ring);
    expect((await app.account.findUnique({ where: { id: "r-2" } }))?.id_token).toBe("legacy-plaintext");
    await expect(app.account.findUnique({ where: { id: "r-1" } })).rejects.toMatchObject({ reason: "authentication_failed", column: "id_token" });
    await app.$disconnect();
    const status = await getVaultStatus(base, ring);
    expect(status.plaintext).toBe(0);
    // r-1's copied value stays under k3 — it never decrypted; rotate listed its id for re-link.
    expect(status.columns.find((c) => c.column === "id_token")?.byKey).toEqual({ k1: 1, k3: 1 });
  });
});
