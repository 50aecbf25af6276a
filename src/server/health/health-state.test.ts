import { describe, expect, it } from "vitest";
import { computeHealth } from "./health-state";

const now = new Date("2026-11-21T12:00:00Z");
const inDays = (d: number) => new Date(now.getTime() + d * 86_400_000);
const health = (o: Partial<Parameters<typeof computeHealth>[0]>) =>
  computeHealth({ status: "connected", tokenExpiresAt: inDays(50), dataAccessExpiresAt: inDays(80), ...o }, { now, expiringDays: 7 });

describe("computeHealth", () => {
  it("is connected while both token and data access last beyond the threshold", () => {
    expect(health({})).toMatchObject({ health: "connected", daysLeft: 50, endingKind: "token" });
  });
  it("is expiring when the token ends within the threshold", () => {
    expect(health({ tokenExpiresAt: inDays(3) })).toMatchObject({ health: "expiring", daysLeft: 3, endingKind: "token" });
  });
  it("is expiring when data access ends first and within the threshold", () => {
    expect(health({ dataAccessExpiresAt: inDays(6.5) })).toMatchObject({ health: "expiring", daysLeft: 6, endingKind: "data_access" });
  });
  it("is expired once either has passed, before Meta says so", () => {
    expect(health({ tokenExpiresAt: inDays(-1) }).health).toBe("expired");
    expect(health({ dataAccessExpiresAt: now }).health).toBe("expired");
  });
  it("treats a token that never expires as lasting", () => {
    expect(health({ tokenExpiresAt: null, dataAccessExpiresAt: null })).toMatchObject({ health: "connected", endsAt: null, daysLeft: null });
  });
  it("keeps what Meta told us over what the clock says", () => {
    for (const status of ["expired", "revoked", "permissions_missing", "error"] as const) {
      expect(health({ status, tokenExpiresAt: inDays(2) }).health).toBe(status);
    }
  });
  it("honours the configured threshold", () => {
    const c = { status: "connected" as const, tokenExpiresAt: inDays(10), dataAccessExpiresAt: null };
    expect(computeHealth(c, { now, expiringDays: 7 }).health).toBe("connected");
    expect(computeHealth(c, { now, expiringDays: 14 }).health).toBe("expiring");
  });
});
