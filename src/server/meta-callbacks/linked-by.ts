/**
 * Splits connections into those linked no later than the second a Meta callback was signed
 * (`issued_at` has whole seconds) and those linked again since: a callback is about the grant that
 * existed when Meta signed it, so a replayed or delayed one must not touch a newer link.
 */
export function linkedBy<C extends { linkedAt: Date }>(connections: C[], issuedAt: Date): { older: C[]; newer: C[] } {
  const cutoff = issuedAt.getTime() + 1000;
  return {
    older: connections.filter((c) => c.linkedAt.getTime() < cutoff),
    newer: connections.filter((c) => c.linkedAt.getTime() >= cutoff),
  };
}
