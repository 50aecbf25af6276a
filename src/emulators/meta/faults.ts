import { catalogError, GraphError } from "./errors";
import { now, type ActiveFault, type SandboxState } from "./state";
import { DATA_ACCESS_LAPSED, INVALIDATION, sessionExpired } from "./tokens";
import type { FaultSpec } from "./types";

/** Injected failures for the next N matching calls (checklist 16). */

function pathMatches(pattern: string, path: string): boolean {
  const re = new RegExp(
    "^" +
      pattern
        .replace(/^\/?v\d+\.\d+(?=\/)/, "")
        .split("*")
        .map((x) => x.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join("[^/]*") +
      "/?$",
  );
  return re.test(path.startsWith("/") ? path : `/${path}`);
}

export function addFault(s: SandboxState, spec: FaultSpec): ActiveFault {
  const f: ActiveFault = { ...spec, remaining: spec.count ?? 1 };
  s.world.faults.push(f);
  return f;
}

/** Take (and count down) the first fault matching this call. */
export function takeFault(s: SandboxState, method: string, path: string): ActiveFault | undefined {
  const f = s.world.faults.find(
    (x) => x.remaining > 0 && (!x.path || pathMatches(x.path, path)) && (!x.method || x.method.toUpperCase() === method),
  );
  if (!f) return undefined;
  f.remaining--;
  s.world.faults = s.world.faults.filter((x) => x.remaining > 0);
  return f;
}

export function faultError(s: SandboxState, f: ActiveFault): GraphError | null {
  if (f.timeout) {
    return new GraphError({ code: 1, message: "Please reduce the amount of data you're asking for, then retry your request", isTransient: true, status: 500 });
  }
  if (f.code === undefined) return null;
  const message = f.message ?? (f.code === 190 && f.subcode !== undefined ? tokenErrorMessage(s, f.subcode) : undefined);
  return catalogError({ code: f.code, subcode: f.subcode, status: f.status, message, isTransient: f.isTransient });
}

/** An injected 190 reads like the real one for its subcode (the same wording tokens.ts uses). */
function tokenErrorMessage(s: SandboxState, subcode: number): string | undefined {
  const t = now(s);
  if (subcode === 463) return sessionExpired(t - 3600_000, t);
  if (subcode === 493) return DATA_ACCESS_LAPSED;
  const appId = s.apps.keys().next().value ?? "";
  return Object.values(INVALIDATION)
    .map((f) => f(appId))
    .find((x) => x.subcode === subcode)?.message;
}

/** Codes that mean "throttled": their answers carry usage headers at or above 100 %. */
export const THROTTLE_CODES = new Set([4, 17, 32, 613, 80000, 80001, 80002, 80003, 80004, 80005, 80006, 80008, 80009, 80014]);

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
