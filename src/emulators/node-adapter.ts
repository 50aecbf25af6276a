import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { isLoopbackAddress } from "../server/http/loopback";

/**
 * A Web `(request) => Promise<Response>` handler on a real port. Bodies are streamed both ways
 * (a sandbox can drip or flood an answer), and a client that hangs up aborts the request's
 * signal, which ends any answer the handler is holding back. A sandbox's controls (any path with a
 * `/_control` segment) answer loopback clients only, judged by the socket, whatever the sandbox
 * listens on: they mint tokens, move clocks and send callbacks (docs/security.md).
 */

export type Listening = { url: string; port: number; close: () => Promise<void> };
export type Handler = (request: Request) => Promise<Response>;

/** node:http request → Web Request (body read whole), for sandboxes and test servers. */
export async function toRequest(req: IncomingMessage, origin: string, signal?: AbortSignal): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) for (const x of v) headers.append(k, x);
    else if (v !== undefined) headers.set(k, v);
  }
  // Sandboxes key some limits by client address, as the real services do.
  if (!headers.has("x-forwarded-for") && req.socket.remoteAddress) headers.set("x-forwarded-for", req.socket.remoteAddress);
  const method = req.method ?? "GET";
  const body = method === "GET" || method === "HEAD" || chunks.length === 0 ? undefined : Buffer.concat(chunks);
  return new Request(new URL(req.url ?? "/", origin), { method, headers, body, signal });
}

/** Web Response → node:http response, streamed (each Set-Cookie kept separate). */
export async function send(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    if (key !== "set-cookie") headers[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  res.writeHead(response.status, headers);
  if (!response.body) return void res.end();
  const body = Readable.fromWeb(response.body as import("node:stream/web").ReadableStream);
  res.on("close", () => body.destroy());
  body.on("error", () => res.destroy());
  body.pipe(res);
}

export type ListenOptions = {
  port?: number;
  host?: string;
  /** The JSON body of a 500 when the handler throws, in the platform's error shape. */
  failureBody?: (message: string) => unknown;
};

export async function listen(handler: Handler, o: ListenOptions = {}): Promise<Listening> {
  const { port = 0, host = "127.0.0.1", failureBody = (message: string) => ({ error: "InternalServerError", message }) } = o;
  let origin = "";
  const server = createServer((req, res) => {
    const abort = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) abort.abort();
    });
    // Absolute URLs a sandbox emits follow the host the client actually used.
    const remote = !isLoopbackAddress(req.socket.remoteAddress);
    toRequest(req, req.headers.host ? `http://${req.headers.host}` : origin, abort.signal)
      .then((request) =>
        remote && /\/_control(\/|$)/.test(new URL(request.url).pathname)
          ? Response.json(failureBody("Sandbox controls answer loopback clients only"), { status: 403 })
          : handler(request),
      )
      .then((response) => (res.destroyed ? undefined : send(res, response)))
      .catch((err: unknown) => {
        if (res.headersSent || res.destroyed) return void res.destroy();
        res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify(failureBody(`Sandbox failure: ${err instanceof Error ? err.message : String(err)}`)));
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
    port: addr.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
