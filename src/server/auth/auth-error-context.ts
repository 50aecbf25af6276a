import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Auth.js turns most failures into `?error=Configuration`. The route wrapper runs each request in
 * this context and Auth.js's logger notes the real error type here, so a state mismatch can be told
 * apart from a failed token exchange.
 */
const context = new AsyncLocalStorage<{ errorType?: string }>();

export function withAuthErrorContext<T>(work: () => Promise<T>) {
  const store: { errorType?: string } = {};
  return context.run(store, async () => ({ result: await work(), errorType: store.errorType }));
}

export function noteAuthErrorType(type: string) {
  const store = context.getStore();
  if (store && !store.errorType) store.errorType = type;
}
