import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { envelopeKeyId, isEnvelope, parseKeyRing, VaultDecryptError, VaultWriteError } from "@/server/crypto";
import { createTestDatabase, type TestDatabase } from "@kit/db";
import { createBaseClient, type BaseClient } from "./client";
import { createAppClient, type AppClient } from "./vault";

const K1 = `k1:${Buffer.alloc(32, 11).toString("base64")}`;
const K2 = `k2:${Buffer.alloc(32, 22).toString("base64")}`;

type RawTokens = { id: string; access_token: string | null; refresh_token: string | null; id_token: string | null };

describe("vault extension", () => {
  let db: TestDatabase;
  let app: AppClient;
  let base: BaseClient;
  let userId: string;
  let n = 0;

  const raw = async (id: string) =>
    (await base.$queryRawUnsafe<RawTokens[]>(`SELECT id, access_token, refresh_token, id_token FROM accounts WHERE id = $1`, id))[0]!;
  const fb = (extra: Record<string, unknown> = {}) => ({
    userId,
    type: "oauth",
    provider: "facebook",
    providerAccountId: `fb-${++n}`,
    ...extra,
  });
  const expectSealed = (value: string | null | undefined, keyId = "k1") => {
    expect(isEnvelope(value)).toBe(true);
    expect(envelopeKeyId(value as string)).toBe(keyId);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    app = createAppClient(db.url, parseKeyRing(K1));
    base = createBaseClient(db.url);
    userId = (await base.user.create({ data: { email: "vault@example.com" } })).id;
  });
  afterAll(async () => {
    await app.$disconnect();
    await base.$disconnect();
    await db.close();
  });

  describe("writes are sealed and reads opened", () => {
    it("create: returns plaintext, stores envelopes bound to the new row", async () => {
      const created = await app.account.create({ data: fb({ access_token: "AT-create", refresh_token: "RT-create", id_token: null }) });
      expect(created.access_token).toBe("AT-create");
      expect(created.refresh_token).toBe("RT-create");
      expect(created.id_token).toBeNull();
      const stored = await raw(created.id);
      expectSealed(stored.access_token);
      expectSealed(stored.refresh_token);
      expect(stored.id_token).toBeNull();
      expect(JSON.stringify(stored)).not.toMatch(/AT-create|RT-create/);
      expect((await app.account.findUnique({ where: { id: created.id } }))?.access_token).toBe("AT-create");
      expect((await app.account.findUniqueOrThrow({ where: { id: created.id } })).refresh_token).toBe("RT-create");
    });

    it("create with a caller-chosen id binds to that id", async () => {
      const created = await app.account.create({ data: fb({ id: "chosen-id-1", access_token: "AT-chosen" }) });
      expect(created.id).toBe("chosen-id-1");
      expectSealed((await raw("chosen-id-1")).access_token);
      expect((await app.account.findFirstOrThrow({ where: { id: "chosen-id-1" } })).access_token).toBe("AT-chosen");
    });

    it("createMany and findMany", async () => {
      const ids = ["cm-1", "cm-2", "cm-3"];
      const result = await app.account.createMany({
        data: ids.map((id, i) => fb({ id, provider: "cm", access_token: `AT-cm-${i}` })),
      });
      expect(result.count).toBe(3);
      for (const id of ids) expectSealed((await raw(id)).access_token);
      const rows = await app.account.findMany({ where: { provider: "cm" }, orderBy: { id: "asc" } });
      expect(rows.map((r) => r.access_token)).toEqual(["AT-cm-0", "AT-cm-1", "AT-cm-2"]);
    });

    it("createMany without ids generates one per row", async () => {
      await app.account.createMany({ data: [fb({ provider: "gen", access_token: "AT-g1" }), fb({ provider: "gen", access_token: "AT-g2" })] });
      const rows = await app.account.findMany({ where: { provider: "gen" }, orderBy: { access_token: "asc" } });
      expect(rows.map((r) => r.access_token).sort()).toEqual(["AT-g1", "AT-g2"]);
      expect(new Set(rows.map((r) => r.id)).size).toBe(2);
      for (const row of rows) expectSealed((await raw(row.id)).access_token);
    });

    it("createManyAndReturn returns plaintext", async () => {
      const rows = await app.account.createManyAndReturn({ data: [fb({ access_token: "AT-cmar" })] });
      expect(rows[0]!.access_token).toBe("AT-cmar");
      expectSealed((await raw(rows[0]!.id)).access_token);
    });

    it("update by id, by compound unique key, and with { set }", async () => {
      const a = await app.account.create({ data: fb({ access_token: "AT-old" }) });
      const byId = await app.account.update({ where: { id: a.id }, data: { access_token: "AT-new" } });
      expect(byId.access_token).toBe("AT-new");
      const byKey = await app.account.update({
        where: { provider_providerAccountId: { provider: "facebook", providerAccountId: a.providerAccountId } },
        data: { refresh_token: { set: "RT-set" } },
      });
      expect(byKey).toMatchObject({ access_token: "AT-new", refresh_token: "RT-set" });
      const stored = await raw(a.id);
      expectSealed(stored.access_token);
      expectSealed(stored.refresh_token);
      expect((await app.account.findUnique({ where: { id: a.id } }))?.refresh_token).toBe("RT-set");
    });

    it("updateMany gives every row its own ciphertext", async () => {
      await app.account.createMany({ data: [1, 2, 3].map((i) => fb({ id: `um-${i}`, provider: "um", access_token: `old-${i}` })) });
      const result = await app.account.updateMany({ where: { provider: "um", NOT: { id: "um-3" } }, data: { access_token: "AT-many" } });
      expect(result.count).toBe(2);
      const [one, two, three] = await Promise.all(["um-1", "um-2", "um-3"].map(raw));
      expect(one!.access_token).not.toBe(two!.access_token);
      const rows = await app.account.findMany({ where: { provider: "um" }, orderBy: { id: "asc" } });
      expect(rows.map((r) => r.access_token)).toEqual(["AT-many", "AT-many", "old-3"]);
      expectSealed(three!.access_token);
    });

    it("updateMany to null stays a single statement and clears tokens", async () => {
      await app.account.createMany({ data: [1, 2].map((i) => fb({ provider: "clear", access_token: `c-${i}` })) });
      expect((await app.account.updateMany({ where: { provider: "clear" }, data: { access_token: null } })).count).toBe(2);
      const rows = await app.account.findMany({ where: { provider: "clear" } });
      expect(rows.map((r) => r.access_token)).toEqual([null, null]);
    });

    it("updateManyAndReturn returns plaintext, also with a select subset", async () => {
      await app.account.create({ data: fb({ id: "umar-1", provider: "umar", access_token: "x" }) });
      const rows = await app.account.updateManyAndReturn({
        where: { provider: "umar" },
        data: { access_token: "AT-umar" },
        select: { access_token: true },
      });
      expect(rows).toEqual([{ access_token: "AT-umar" }]);
      expectSealed((await raw("umar-1")).access_token);
    });

    it("upsert: create branch and update branch", async () => {
      const where = { provider_providerAccountId: { provider: "facebook", providerAccountId: "upsert-1" } };
      const created = await app.account.upsert({
        where,
        create: fb({ providerAccountId: "upsert-1", access_token: "AT-up-create" }),
        update: { access_token: "unused" },
      });
      expect(created.access_token).toBe("AT-up-create");
      const updated = await app.account.upsert({ where, create: fb({ providerAccountId: "upsert-1", access_token: "unused" }), update: { access_token: "AT-up-update" } });
      expect(updated.id).toBe(created.id);
      expect(updated.access_token).toBe("AT-up-update");
      expectSealed((await raw(created.id)).access_token);
      expect((await app.account.findUnique({ where }))?.access_token).toBe("AT-up-update");
    });

    it("select subsets open only what was asked and do not leak the added id", async () => {
      const a = await app.account.create({ data: fb({ access_token: "AT-select", id_token: "IT-select" }) });
      expect(await app.account.findUnique({ where: { id: a.id }, select: { access_token: true } })).toEqual({ access_token: "AT-select" });
      const omitted = await app.account.findUnique({ where: { id: a.id }, omit: { id: true, refresh_token: true } });
      expect(omitted).not.toHaveProperty("id");
      expect(omitted?.id_token).toBe("IT-select");
      expectSealed((await raw(a.id)).id_token);
    });

    it("delete returns the plaintext of the deleted row", async () => {
      const a = await app.account.create({ data: fb({ access_token: "AT-delete" }) });
      expectSealed((await raw(a.id)).access_token);
      expect((await app.account.delete({ where: { id: a.id } })).access_token).toBe("AT-delete");
    });

    it("works inside an interactive transaction", async () => {
      const id = await app.$transaction(async (tx) => {
        const a = await tx.account.create({ data: fb({ access_token: "AT-tx" }) });
        await tx.account.update({ where: { id: a.id }, data: { refresh_token: "RT-tx" } });
        return a.id;
      });
      expect(await app.account.findUnique({ where: { id }, select: { access_token: true, refresh_token: true } })).toEqual({
        access_token: "AT-tx",
        refresh_token: "RT-tx",
      });
      const stored = await raw(id);
      expectSealed(stored.access_token);
      expectSealed(stored.refresh_token);
    });
  });

  describe("nested writes from another model", () => {
    it("user.create with accounts.create, createMany and connectOrCreate", async () => {
      const user = await app.user.create({
        data: {
          email: "nested-create@example.com",
          accounts: {
            create: [{ type: "oauth", provider: "facebook", providerAccountId: "nc-1", access_token: "AT-nc-1" }],
            createMany: { data: [{ type: "oauth", provider: "facebook", providerAccountId: "nc-2", access_token: "AT-nc-2" }] },
            connectOrCreate: {
              where: { provider_providerAccountId: { provider: "facebook", providerAccountId: "nc-3" } },
              create: { type: "oauth", provider: "facebook", providerAccountId: "nc-3", access_token: "AT-nc-3" },
            },
          },
        },
      });
      const stored = await base.account.findMany({ where: { userId: user.id }, orderBy: { providerAccountId: "asc" } });
      expect(stored).toHaveLength(3);
      for (const row of stored) expectSealed(row.access_token);
      const rows = await app.account.findMany({ where: { userId: user.id }, orderBy: { providerAccountId: "asc" } });
      expect(rows.map((r) => r.access_token)).toEqual(["AT-nc-1", "AT-nc-2", "AT-nc-3"]);
    });

    it("user.update with accounts.update, updateMany and upsert", async () => {
      const user = await app.user.create({
        data: {
          email: "nested-update@example.com",
          accounts: { create: [1, 2, 3].map((i) => ({ type: "oauth", provider: "nu", providerAccountId: `nu-${i}`, access_token: `old-${i}` })) },
        },
      });
      await app.user.update({
        where: { email: "nested-update@example.com" },
        data: {
          accounts: {
            update: { where: { provider_providerAccountId: { provider: "nu", providerAccountId: "nu-1" } }, data: { access_token: "AT-nu-1" } },
            updateMany: { where: { providerAccountId: { in: ["nu-2", "nu-3"] } }, data: { refresh_token: "RT-nu-many" } },
            upsert: {
              where: { provider_providerAccountId: { provider: "nu", providerAccountId: "nu-4" } },
              create: { type: "oauth", provider: "nu", providerAccountId: "nu-4", access_token: "AT-nu-4" },
              update: { access_token: "unused" },
            },
          },
        },
      });
      const rows = await app.account.findMany({ where: { userId: user.id }, orderBy: { providerAccountId: "asc" } });
      expect(rows.map((r) => [r.providerAccountId, r.access_token, r.refresh_token])).toEqual([
        ["nu-1", "AT-nu-1", null],
        ["nu-2", "old-2", "RT-nu-many"],
        ["nu-3", "old-3", "RT-nu-many"],
        ["nu-4", "AT-nu-4", null],
      ]);
      const stored = await base.account.findMany({ where: { userId: user.id } });
      for (const row of stored) expectSealed(row.access_token);
    });

    it("to-one nested update from MetaConnection.account", async () => {
      const account = await app.account.create({ data: fb({ access_token: "AT-to-one" }) });
      const connection = await app.connection.create({ data: { userId, accountId: account.id, provider: "facebook", externalId: "m1", name: "M" } });
      await app.connection.update({ where: { id: connection.id }, data: { account: { update: { access_token: "AT-to-one-new" } } } });
      expectSealed((await raw(account.id)).access_token);
      expect((await app.account.findUnique({ where: { id: account.id } }))?.access_token).toBe("AT-to-one-new");
    });
  });

  describe("paths that bypass the extension", () => {
    it("a nested include from User returns ciphertext, not plaintext", async () => {
      const user = await app.user.create({
        data: { email: "include@example.com", accounts: { create: { type: "oauth", provider: "facebook", providerAccountId: "inc-1", access_token: "AT-include" } } },
        include: { accounts: true },
      });
      expectSealed(user.accounts[0]!.access_token);
      const found = await app.user.findUniqueOrThrow({ where: { id: user.id }, include: { accounts: true } });
      expect(found.accounts[0]!.access_token).not.toBe("AT-include");
      expectSealed(found.accounts[0]!.access_token);
    });

    it("raw SQL sees no plaintext anywhere in the accounts table", async () => {
      const all = await app.$queryRawUnsafe<RawTokens[]>(`SELECT id, access_token, refresh_token, id_token FROM accounts`);
      expect(all.length).toBeGreaterThan(10);
      for (const row of all) {
        for (const value of [row.access_token, row.refresh_token, row.id_token]) {
          if (value !== null) expectSealed(value);
        }
      }
    });
  });

  describe("tampering and misuse fail closed", () => {
    async function decryptErrorOf(promise: Promise<unknown>): Promise<VaultDecryptError> {
      const error = await promise.then(
        () => {
          throw new Error("expected VaultDecryptError");
        },
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(VaultDecryptError);
      return error as VaultDecryptError;
    }

    it("ciphertexts swapped between rows fail to decrypt", async () => {
      const a = await app.account.create({ data: fb({ access_token: "AT-victim" }) });
      const b = await app.account.create({ data: fb({ access_token: "AT-attacker" }) });
      const sa = await raw(a.id);
      const sb = await raw(b.id);
      await base.$executeRawUnsafe(`UPDATE accounts SET access_token = $1 WHERE id = $2`, sb.access_token, a.id);
      await base.$executeRawUnsafe(`UPDATE accounts SET access_token = $1 WHERE id = $2`, sa.access_token, b.id);
      const error = await decryptErrorOf(app.account.findUnique({ where: { id: a.id } }));
      expect(error).toMatchObject({ table: "accounts", column: "access_token", rowId: a.id, reason: "authentication_failed", keyId: "k1" });
      await decryptErrorOf(app.account.findUnique({ where: { id: b.id } }));
    });

    it("a ciphertext copied into another column fails to decrypt", async () => {
      const a = await app.account.create({ data: fb({ access_token: "AT-copy" }) });
      await base.$executeRawUnsafe(`UPDATE accounts SET refresh_token = access_token WHERE id = $1`, a.id);
      const error = await decryptErrorOf(app.account.findUnique({ where: { id: a.id } }));
      expect(error).toMatchObject({ column: "refresh_token", reason: "authentication_failed" });
    });

    it("one tampered byte raises VaultDecryptError without the value in it", async () => {
      const a = await app.account.create({ data: fb({ access_token: "AT-tamper-secret" }) });
      const stored = (await raw(a.id)).access_token!;
      const cut = stored.lastIndexOf(":") + 1;
      const body = Buffer.from(stored.slice(cut), "base64url");
      body[20] = body[20]! ^ 0xff;
      await base.$executeRawUnsafe(`UPDATE accounts SET access_token = $1 WHERE id = $2`, stored.slice(0, cut) + body.toString("base64url"), a.id);
      const error = await decryptErrorOf(app.account.findFirst({ where: { id: a.id } }));
      expect(error.reason).toBe("authentication_failed");
      expect(`${error.message} ${JSON.stringify(error)} ${error.stack}`).not.toContain("AT-tamper-secret");
    });

    it("plaintext written behind the vault's back is refused, not returned", async () => {
      const a = await app.account.create({ data: fb() });
      await base.$executeRawUnsafe(`UPDATE accounts SET access_token = 'planted-plaintext' WHERE id = $1`, a.id);
      expect((await decryptErrorOf(app.account.findMany({ where: { id: a.id } }))).reason).toBe("not_encrypted");
    });

    it("writing back the row's own envelope is not double-encrypted", async () => {
      const a = await app.account.create({ data: fb({ access_token: "AT-own" }) });
      const stored = (await raw(a.id)).access_token!;
      await app.account.update({ where: { id: a.id }, data: { access_token: stored } });
      expect((await raw(a.id)).access_token).toBe(stored);
      expect((await app.account.findUnique({ where: { id: a.id } }))?.access_token).toBe("AT-own");
    });

    it("refuses to store another row's envelope", async () => {
      const a = await app.account.create({ data: fb({ access_token: "AT-a" }) });
      const b = await app.account.create({ data: fb({ access_token: "AT-b" }) });
      const foreign = (await raw(a.id)).access_token!;
      await expect(app.account.update({ where: { id: b.id }, data: { access_token: foreign } })).rejects.toBeInstanceOf(VaultWriteError);
      expect((await app.account.findUnique({ where: { id: b.id } }))?.access_token).toBe("AT-b");
    });
  });

  describe("two keys", () => {
    it("old rows still read; new writes use the first key", async () => {
      const old = await app.account.create({ data: fb({ access_token: "AT-under-k1" }) });
      const rotated = createAppClient(db.url, parseKeyRing(`${K2},${K1}`));
      try {
        expect((await rotated.account.findUnique({ where: { id: old.id } }))?.access_token).toBe("AT-under-k1");
        const fresh = await rotated.account.create({ data: fb({ access_token: "AT-under-k2" }) });
        expectSealed((await raw(fresh.id)).access_token, "k2");
        expectSealed((await raw(old.id)).access_token, "k1");
        expect((await rotated.account.findUnique({ where: { id: fresh.id } }))?.access_token).toBe("AT-under-k2");
        // The old ring alone cannot read what the new key wrote.
        await expect(app.account.findUnique({ where: { id: fresh.id } })).rejects.toMatchObject({ reason: "unknown_key", keyId: "k2" });
      } finally {
        await rotated.$disconnect();
      }
    });
  });
});
