import { describe, expect, it } from "vitest";
import { computeConnectionStatus, type StatusFields } from "./connection-status";

const now = new Date("2026-11-21T12:00:00Z");
const inDays = (d: number) => new Date(now.getTime() + d * 86_400_000);
const base: StatusFields = {
  state: "connected",
  tokenExpiresAt: inDays(50),
  refreshExpiresAt: null,
  dataAccessExpiresAt: inDays(80),
  canRefresh: false,
  tokenUnreadableAt: null,
  lastErrorTransient: false,
};
const status = (o: Partial<StatusFields>, expiringDays = 7) => computeConnectionStatus({ ...base, ...o }, { now, expiringDays });

describe("computeConnectionStatus", () => {
  it("is connected while the grant lasts beyond the warning window", () => {
    expect(status({})).toMatchObject({ status: "connected", verdict: "connected", daysLeft: 50, endingKind: "token" });
  });
  it("is expiring when the token or data access ends within the window", () => {
    expect(status({ tokenExpiresAt: inDays(3) })).toMatchObject({ status: "expiring", daysLeft: 3, endingKind: "token" });
    expect(status({ dataAccessExpiresAt: inDays(6.5) })).toMatchObject({ status: "expiring", daysLeft: 6, endingKind: "data_access" });
  });
  it("is needs_relink once the token or data access has ended, before the platform says so", () => {
    expect(status({ tokenExpiresAt: inDays(-1) }).status).toBe("needs_relink");
    expect(status({ dataAccessExpiresAt: now }).status).toBe("needs_relink");
  });
  it("with a refresh token, judges the refresh token's end, not the access token's", () => {
    expect(status({ canRefresh: true, tokenExpiresAt: inDays(-1), refreshExpiresAt: inDays(30), dataAccessExpiresAt: null }).status).toBe("connected");
    expect(status({ canRefresh: true, tokenExpiresAt: inDays(-1), refreshExpiresAt: inDays(2), dataAccessExpiresAt: null })).toMatchObject({ status: "expiring", endingKind: "refresh" });
    expect(status({ canRefresh: true, refreshExpiresAt: null, tokenExpiresAt: inDays(-1), dataAccessExpiresAt: null }).status).toBe("connected");
  });
  it("treats a grant that never ends as lasting", () => {
    expect(status({ tokenExpiresAt: null, dataAccessExpiresAt: null })).toMatchObject({ status: "connected", endsAt: null, daysLeft: null });
  });
  it("says needs_relink for an unreadable token whatever else is stored", () => {
    expect(status({ tokenUnreadableAt: now, state: "permissions_missing" }).status).toBe("needs_relink");
  });
  it("keeps what the platform told us over what the clock says", () => {
    for (const state of ["needs_relink", "revoked", "refresh_failed"] as const) expect(status({ state, tokenExpiresAt: inDays(2) }).status).toBe(state);
    expect(status({ state: "permissions_missing", tokenExpiresAt: inDays(2) }).status).toBe("permissions_missing");
  });
  it("shows a transient failure as error, keeping the previous verdict, and never hides a worse state", () => {
    expect(status({ lastErrorTransient: true })).toMatchObject({ status: "error", verdict: "connected" });
    expect(status({ lastErrorTransient: true, tokenExpiresAt: inDays(3) })).toMatchObject({ status: "error", verdict: "expiring" });
    expect(status({ lastErrorTransient: true, state: "revoked" }).status).toBe("revoked");
    expect(status({ lastErrorTransient: true, tokenExpiresAt: inDays(-1) }).status).toBe("needs_relink");
  });
  it("honours the configured warning window", () => {
    expect(status({ tokenExpiresAt: inDays(10), dataAccessExpiresAt: null }, 7).status).toBe("connected");
    expect(status({ tokenExpiresAt: inDays(10), dataAccessExpiresAt: null }, 14).status).toBe("expiring");
  });
});
