import { describe, expect, it } from "vitest";
import { verdictForMetaError } from "./token-verdict";

const v = (code: number, subcode?: number, httpStatus = 400) => verdictForMetaError({ code, subcode, message: "m", httpStatus })?.status ?? null;

describe("verdictForMetaError", () => {
  it("maps natural expiry and lapsed data access to expired", () => {
    expect(v(190, 463)).toBe("expired");
    expect(v(190, 493)).toBe("expired");
  });
  it("maps app removal, password change, logout, API kill and lost Page role to revoked", () => {
    for (const sub of [458, 460, 466, 467, 492]) expect(v(190, sub)).toBe("revoked");
  });
  it("maps a token Meta does not know (190 or 102 without subcode) to needs_relink", () => {
    expect(v(190)).toBe("needs_relink");
    expect(v(102)).toBe("needs_relink");
  });
  it("maps checkpoints and unknown subcodes to error", () => {
    expect(v(190, 459)).toBe("error");
    expect(v(190, 464)).toBe("error");
    expect(v(102, 1234)).toBe("error");
  });
  it("maps a revoked permission to permissions_missing, but not a single missing object (100/33)", () => {
    expect(v(10)).toBe("permissions_missing");
    expect(v(200, undefined, 403)).toBe("permissions_missing");
    expect(v(100, 33)).toBeNull();
  });
  it("never marks a connection for throttles, 5xx or request errors", () => {
    for (const [code, sub, status] of [[4], [17], [613, 1487742], [80004, 2446079], [2, undefined, 500], [1, undefined, 500], [100]] as const) {
      expect(v(code, sub, status ?? 400)).toBeNull();
    }
  });
  it("scrubs token-like strings from the stored message", () => {
    const verdict = verdictForMetaError({ code: 190, subcode: 463, message: `expired: EAAB${"x".repeat(60)}` });
    expect(verdict?.message).not.toContain("EAAB");
  });
});
