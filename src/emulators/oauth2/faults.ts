import type { RouteKind, Runtime } from "./profile";
import type { StoredFault } from "./state";
import type { FaultSpec } from "./types";

/** Injected failures for the next N matching calls: 5xx, timeout, throttle, a refused refresh. */

export type CallKind = { route: RouteKind; op: "refresh" | "exchange" | null; path: string };

function pathMatches(pattern: string, path: string): boolean {
  const re = new RegExp(`^${pattern.split("*").map((x) => x.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^/]*")}/?$`);
  return re.test(path);
}

function targetMatches(f: StoredFault, call: CallKind): boolean {
  switch (f.target) {
    case "any":
      return true;
    case "token":
      return call.route === "token";
    case "refresh":
    case "exchange":
      return call.route === "token" && call.op === f.target;
    default:
      return call.route === f.target;
  }
}

export function addFault(rt: Runtime, spec: FaultSpec): StoredFault {
  const target = spec.target ?? (spec.kind === "invalid_grant" ? "refresh" : "any");
  const f: StoredFault = { kind: spec.kind, target, remaining: spec.count ?? 1 };
  if (spec.path) f.path = spec.path.startsWith("/") ? spec.path : `/${spec.path}`;
  if (spec.latencyMs) f.latencyMs = spec.latencyMs;
  rt.s.faults.push(f);
  return f;
}

/** Take (and count down) the first fault for this call; `refusal` selects `invalid_grant` faults only. */
export function takeFault(rt: Runtime, call: CallKind, refusal = false): StoredFault | undefined {
  const f = rt.s.faults.find(
    (x) => x.remaining > 0 && (x.kind === "invalid_grant") === refusal && targetMatches(x, call) && (!x.path || pathMatches(x.path, call.path)),
  );
  if (!f) return undefined;
  f.remaining--;
  rt.s.faults = rt.s.faults.filter((x) => x.remaining > 0);
  return f;
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Hold a response like a hung upstream: until the client gives up (its signal aborts) or `ms` pass. */
export function hang(signal: AbortSignal, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}
