import { describe, expect, it } from "vitest";
import { verdictForMetaError } from "./classify-error";

const v = (code: number, subcode?: number, httpStatus = 400) => {
  const c = verdictForMetaError({ code, subcode, message: "m", httpStatus });
  return c.state ? `${c.verdict}:${c.state}` : c.verdict;
};

describe("verdictForMetaError", () => {
  it("maps natural expiry and lapsed data access to needs_relink", () => {
    expect(v(190, 463)).toBe("needs_relink:needs_relink");
    expect(v(190, 493)).toBe("needs_relink:needs_relink");
  });
  it("maps app removal, password change, logout, API kill and lost Page role to revoked", () => {
    for (const sub of [458, 460, 466, 467, 492]) expect(v(190, sub)).toBe("needs_relink:revoked");
  });
  it("maps 190 without subcode, checkpoints and 102 to needs_relink", () => {
    expect(v(190)).toBe("needs_relink:needs_relink");
    expect(v(190, 459)).toBe("needs_relink:needs_relink");
    expect(v(102)).toBe("needs_relink:needs_relink");
  });
  it("maps a revoked permission to permissions_missing, but a single missing object (100/33) to bad_request", () => {
    expect(v(10)).toBe("permissions_missing");
    expect(v(200, undefined, 403)).toBe("permissions_missing");
    expect(v(100, 33)).toBe("bad_request");
  });
  it("says retry later for throttles and 5xx, bad request for our own mistakes", () => {
    for (const [code, sub, status] of [[4], [17], [613, 1487742], [80004, 2446079], [2, undefined, 500], [1, undefined, 500]] as const) {
      expect(v(code, sub, status ?? 400)).toBe("retry_later");
    }
    expect(v(100)).toBe("bad_request");
  });
  it("joins code and subcode into one provider-neutral code", () => {
    expect(verdictForMetaError({ code: 190, subcode: 463, message: "m" }).code).toBe("190/463");
    expect(verdictForMetaError({ code: 102, message: "m" }).code).toBe("102");
  });
  it("scrubs token-like strings from the stored message", () => {
    const verdict = verdictForMetaError({ code: 190, subcode: 463, message: `expired: EAAB${"x".repeat(60)}` });
    expect(verdict.message).not.toContain("EAAB");
  });
});
