import { describe, expect, it } from "vitest";
import { VaultDecryptError } from "@/server/crypto";
import { readTokens } from "./read-tokens";

describe("readTokens", () => {
  it("passes a successful read through", async () => {
    expect(await readTokens(async () => ({ access_token: "AT" }))).toEqual({ ok: true, value: { access_token: "AT" } });
  });

  it("turns an undecryptable token into needsRelink", async () => {
    const error = new VaultDecryptError({ table: "accounts", column: "access_token", rowId: "r1" }, "authentication_failed", "k1");
    const read = await readTokens(async () => {
      throw error;
    });
    expect(read).toEqual({ ok: false, needsRelink: true, error });
  });

  it("rethrows anything else", async () => {
    await expect(readTokens(async () => Promise.reject(new Error("db down")))).rejects.toThrow("db down");
  });
});
