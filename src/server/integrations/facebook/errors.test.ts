import { describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import {
  classifyMetaError,
  DEFAULT_RETRY_AFTER_SECONDS,
  MetaApiError,
  MetaPermissionError,
  MetaRequestError,
  MetaThrottleError,
  MetaTokenError,
  MetaTransientError,
  networkError,
  toMetaError,
  unexpectedResponse,
} from "./errors";

type Row = [code: number, subcode: number | undefined, http: number, expected: new (...a: never[]) => MetaApiError, reason?: string];

// The mapping table, row by row (shared/reference/meta-graph-api.md §2.6 and §6.2).
const TABLE: Row[] = [
  [190, 463, 400, MetaTokenError, "expired"],
  [190, 460, 400, MetaTokenError, "password_changed"],
  [190, 458, 400, MetaTokenError, "app_removed"],
  [190, 467, 400, MetaTokenError, "logged_out"],
  [190, 466, 400, MetaTokenError, "invalidated"],
  [190, 459, 400, MetaTokenError, "checkpoint"],
  [190, 464, 400, MetaTokenError, "checkpoint"],
  [190, 492, 400, MetaTokenError, "invalidated"],
  [190, 493, 400, MetaTokenError, "data_access_expired"],
  [190, undefined, 400, MetaTokenError, "invalid"],
  [190, 12345, 400, MetaTokenError, "invalid"],
  [102, undefined, 400, MetaTokenError, "invalid"],
  [10, undefined, 403, MetaPermissionError],
  [200, undefined, 403, MetaPermissionError],
  [272, undefined, 400, MetaPermissionError],
  [294, undefined, 403, MetaPermissionError],
  [299, undefined, 403, MetaPermissionError],
  [100, 33, 400, MetaPermissionError],
  [4, 1504022, 400, MetaThrottleError],
  [17, 2446079, 400, MetaThrottleError],
  [32, undefined, 400, MetaThrottleError],
  [613, 1487742, 400, MetaThrottleError],
  [80000, 2446079, 400, MetaThrottleError],
  [80004, 2446079, 400, MetaThrottleError],
  [80014, undefined, 400, MetaThrottleError],
  [1, undefined, 500, MetaTransientError],
  [2, undefined, 500, MetaTransientError],
  [2, undefined, 400, MetaTransientError],
  [100, undefined, 400, MetaRequestError],
  [100, 36009, 400, MetaRequestError],
  [2500, undefined, 400, MetaRequestError],
  [2635, undefined, 400, MetaRequestError],
  [80015, undefined, 400, MetaRequestError],
  [300, undefined, 400, MetaRequestError],
  [1, undefined, 400, MetaRequestError],
  [999, undefined, 503, MetaTransientError],
];

describe("Meta error mapping table", () => {
  it.each(TABLE)("code %s / subcode %s (HTTP %s) → %o", (code, subcode, http, expected, reason) => {
    const error = toMetaError({ code, error_subcode: subcode, message: "x", fbtrace_id: "TRACE" }, { httpStatus: http });
    expect(error).toBeInstanceOf(expected);
    expect(error).toBeInstanceOf(MetaApiError);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "PROVIDER_ERROR", metaCode: code, metaSubcode: subcode, fbtraceId: "TRACE", httpStatus: http });
    if (reason) expect((error as MetaTokenError).reason).toBe(reason);
  });

  it("is_transient marks an otherwise unknown error transient", () => {
    expect(classifyMetaError({ code: 1487534, isTransient: true, httpStatus: 400 })).toBe("transient");
    expect(classifyMetaError({ code: 1487534, httpStatus: 400 })).toBe("request");
  });

  it("a throttle carries the retry-after it was given, else the default", () => {
    const given = toMetaError({ code: 80004, message: "slow down" }, { retryAfterSeconds: 420 });
    expect(given).toMatchObject({ retryAfterSeconds: 420 });
    expect(toMetaError({ code: 17, message: "slow down" })).toMatchObject({ retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS });
  });

  it("never puts a token into a message", () => {
    const token = `EAAG${"x".repeat(120)}`;
    const error = toMetaError({ code: 190, message: `Error validating access token ${token}` });
    expect(error.message).not.toContain(token);
    expect(error.message).toContain("[redacted]");
    expect(JSON.stringify(error.toBody())).not.toContain(token);
  });

  it("network failures and timeouts are transient; odd bodies follow the HTTP status", () => {
    expect(networkError(new TypeError("fetch failed"))).toBeInstanceOf(MetaTransientError);
    const timeout = networkError(new DOMException("The operation was aborted due to timeout", "TimeoutError"));
    expect(timeout).toBeInstanceOf(MetaTransientError);
    expect(timeout.message).toMatch(/in time/);
    expect(unexpectedResponse(502, "not JSON")).toBeInstanceOf(MetaTransientError);
    expect(unexpectedResponse(404, "not JSON")).toBeInstanceOf(MetaRequestError);
  });
});
