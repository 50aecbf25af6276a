import type { AdapterAccount } from "next-auth/adapters";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authAdapter } from "@/server/auth/auth-adapter";
import { envelopeKeyId, parseKeyRing } from "@/server/crypto";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/test-db";
import { createBaseClient, type BaseClient } from "./client";
import { createAppClient, type AppClient } from "./vault";

describe("Auth.js adapter on the vault client", () => {
  let db: TestDatabase;
  let app: AppClient;
  let base: BaseClient;
  beforeAll(async () => {
    db = await createTestDatabase();
    app = createAppClient(db.url, parseKeyRing(`auth1:${Buffer.alloc(32, 41).toString("base64")}`));
    base = createBaseClient(db.url);
  });
  afterAll(async () => {
    await Promise.all([app.$disconnect(), base.$disconnect()]);
    await db.close();
  });

  it("linkAccount writes ciphertext; getAccount and getUserByAccount still work", async () => {
    const adapter = authAdapter(app);
    const user = await base.user.create({ data: { email: "linked@example.com", name: "Linked" } });
    const account: AdapterAccount = {
      userId: user.id,
      type: "oauth",
      provider: "facebook",
      providerAccountId: "10150000000000001",
      access_token: "EAAB-short-lived-token",
      token_type: "bearer",
      expires_at: 1_900_000_000,
      id_token: "id.token.value",
    };
    await adapter.linkAccount!(account);

    const stored = await base.account.findFirstOrThrow({ where: { providerAccountId: "10150000000000001" } });
    expect(envelopeKeyId(stored.access_token!)).toBe("auth1");
    expect(envelopeKeyId(stored.id_token!)).toBe("auth1");
    expect(stored.access_token).not.toContain("EAAB");

    const read = await adapter.getAccount!("10150000000000001", "facebook");
    expect(read).toMatchObject({ access_token: "EAAB-short-lived-token", id_token: "id.token.value", userId: user.id });
    const owner = await adapter.getUserByAccount!({ provider: "facebook", providerAccountId: "10150000000000001" });
    expect(owner).toMatchObject({ id: user.id, email: "linked@example.com" });

    await adapter.unlinkAccount!({ provider: "facebook", providerAccountId: "10150000000000001" });
    expect(await base.account.count()).toBe(0);
  });
});
