import { catalogError, GraphError } from "./errors";
import type { ActiveFault, SandboxState } from "./state";
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

export function faultError(f: ActiveFault): GraphError | null {
  if (f.timeout) {
    return new GraphError({ code: 1, message: "Please reduce the amount of data you're asking for, then retry your request", isTransient: true, status: 500 });
  }
  if (f.code === undefined) return null;
  return catalogError({ code: f.code, subcode: f.subcode, status: f.status, message: f.message, isTransient: f.isTransient });
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
