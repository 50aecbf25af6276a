import { afterEach, expect } from "vitest";
import { takeCspViolations } from "./browser";

// Every journey runs under the production Content-Security-Policy: a page it blocked is a failure.
afterEach(() => {
  expect(takeCspViolations()).toEqual([]);
});
