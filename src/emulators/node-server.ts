import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Any fetch-style handler on a real port (node:http ⇄ Web Request/Response): how sandboxes run
 * alone and in tests. Absolute URLs a handler emits follow the host the client used.
 */
export type FetchServer = { url: string; close: () => Promise<void> };

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) for (const x of v) headers.append(k, x);
    else if (v !== undefined) headers.set(k, v);
  }
  const method = req.method ?? "GET";
  const body = method === "GET" || method === "HEAD" || chunks.length === 0 ? undefined : Buffer.concat(chunks);
  return new Request(new URL(req.url ?? "/", origin), { method, headers, body });
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    if (key === "set-cookie") return;
    headers[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  res.writeHead(response.status, headers);
  res.end(Buffer.from(await response.arrayBuffer()));
}

export async function serveFetchHandler(
  handler: (request: Request) => Promise<Response>,
  o: { port?: number; host?: string } = {},
): Promise<FetchServer> {
  const { port = 0, host = "127.0.0.1" } = o;
  let origin = "";
  const server = createServer((req, res) => {
    toRequest(req, req.headers.host ? `http://${req.headers.host}` : origin)
      .then((request) => handler(request))
      .then((response) => send(res, response))
      .catch((err: unknown) => {
        res.writeHead(500, { "content-type": "application/json; charset=UTF-8" });
        res.end(JSON.stringify({ error: { message: `Sandbox failure: ${err instanceof Error ? err.message : String(err)}`, type: "OAuthException", code: 1 } }));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const shownHost = host === "0.0.0.0" || host === "::" ? "localhost" : host;
  origin = `http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${addr.port}`;
  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
