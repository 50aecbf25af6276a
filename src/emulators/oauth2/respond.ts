/** JSON answers of the OAuth sandboxes (platforms pass their own content type where it differs). */

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

/** A 200 with no body (LinkedIn's revoke). */
export function empty(status = 200): Response {
  return new Response(null, { status, headers: { "cache-control": "no-store" } });
}
