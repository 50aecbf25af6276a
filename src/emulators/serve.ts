import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Any sandbox handler on a real port (node:http ⇄ Web Request/Response), for tests and `npm run sandbox`. */

export type SandboxServer<S> = { url: string; sandbox: S; close: () => Promise<void> };

export type ListenOptions = { port?: number; host?: string };

async function toRequest(req: IncomingMessage, origin: string, signal: AbortSignal): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) for (const x of v) headers.append(k, x);
    else if (v !== undefined) headers.set(k, v);
  }
  const method = req.method ?? "GET";
  const body = method === "GET" || method === "HEAD" || chunks.length === 0 ? undefined : Buffer.concat(chunks);
  return new Request(new URL(req.url ?? "/", origin), { method, headers, body, signal });
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    if (key !== "set-cookie") headers[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  res.writeHead(response.status, headers);
  res.end(Buffer.from(await response.arrayBuffer()));
}

/** `failure` shapes the 500 body when the handler throws (default `{error:{message}}`). */
export async function serveSandbox<S extends (request: Request) => Promise<Response>>(
  sandbox: S,
  o: ListenOptions = {},
  failure: (message: string) => unknown = (message) => ({ error: { message } }),
): Promise<SandboxServer<S>> {
  const { port = 0, host = "127.0.0.1" } = o;
  let origin = "";
  const server = createServer((req, res) => {
    // A client that gives up aborts the request, which ends a held (`timeout` fault) response.
    const abort = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) abort.abort();
    });
    // Absolute URLs the sandbox emits follow the host the client actually used.
    toRequest(req, req.headers.host ? `http://${req.headers.host}` : origin, abort.signal)
      .then((request) => sandbox(request))
      .then((response) => (res.destroyed ? undefined : send(res, response)))
      .catch((err: unknown) => {
        if (res.headersSent || res.destroyed) return;
        res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify(failure(`Sandbox failure: ${err instanceof Error ? err.message : String(err)}`)));
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
    sandbox,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
