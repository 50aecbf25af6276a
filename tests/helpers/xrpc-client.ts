/** A tiny XRPC client over any fetch-shaped handler (in-process sandbox or real HTTP). */

export type XrpcAnswer = { status: number; body: Record<string, unknown> | null; headers: Headers };

export type Session = {
  accessJwt: string;
  refreshJwt: string;
  did: string;
  handle: string;
  active: boolean;
  status?: string;
  didDoc: { service: { id: string; serviceEndpoint: string }[] };
  [k: string]: unknown;
};

export function xrpcClient(handler: (request: Request) => Promise<Response>, base = "http://bsky.test") {
  async function call(nsid: string, o: { method?: string; params?: Record<string, string>; body?: unknown; token?: string; headers?: Record<string, string> } = {}): Promise<XrpcAnswer> {
    const url = new URL(`${base}/xrpc/${nsid}`);
    for (const [k, v] of Object.entries(o.params ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...o.headers };
    if (o.body !== undefined) headers["content-type"] ??= "application/json";
    const res = await handler(new Request(url, { method: o.method ?? (o.body !== undefined ? "POST" : "GET"), headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) }));
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null, headers: res.headers };
  }
  return {
    call,
    query: (nsid: string, params?: Record<string, string>, token?: string) => call(nsid, { params, token }),
    procedure: (nsid: string, body?: unknown, token?: string) => call(nsid, { method: "POST", body, token }),
    async login(identifier: string, password: string, extra: Record<string, unknown> = {}): Promise<Session> {
      const res = await call("com.atproto.server.createSession", { method: "POST", body: { identifier, password, ...extra } });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as Session;
    },
  };
}

/** The payload (and header) of a compact JWT, without verifying it — as the app reads them. */
export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p] = token.split(".");
  return { header: JSON.parse(Buffer.from(h!, "base64url").toString()), payload: JSON.parse(Buffer.from(p!, "base64url").toString()) };
}
