import "server-only";
import { env } from "@/env";

/**
 * Granted / declined / missing permissions of a connection. `/me/permissions` is the source
 * (it alone reports `declined`); debug_token's `scopes` fill in when it returned nothing.
 * A scope the app needs that is not granted (declined, expired, or never asked) is "missing" and
 * puts the connection in `permissions_missing`.
 */
export type ScopeState = { granted: string[]; declined: string[]; missing: string[] };

export function requiredScopes(): string[] {
  return env().meta.scopes;
}

export function scopeState(
  permissions: readonly { permission: string; status: string }[],
  debugScopes: readonly string[],
  required: readonly string[],
): ScopeState {
  const granted = permissions.length > 0 ? permissions.filter((p) => p.status === "granted").map((p) => p.permission) : [...debugScopes];
  const declined = permissions.filter((p) => p.status === "declined").map((p) => p.permission);
  const have = new Set(granted);
  return { granted: [...have].sort(), declined: [...new Set(declined)].sort(), missing: required.filter((s) => !have.has(s)) };
}
