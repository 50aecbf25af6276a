import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isLoopbackAddress } from "../../server/http/loopback";
import { jsonResponse } from "./errors";
import { createMetaSandbox, type MetaSandbox } from "./sandbox";
import type { SandboxOptions } from "./types";

/**
 * The sandbox on a real port (node:http ⇄ Web Request/Response), for tests and `npm run sandbox`.
 * Its controls answer loopback clients only, whatever address it listens on.
 */

export type SandboxServer = { url: string; sandbox: MetaSandbox; close: () => Promise<void> };

/** node:http request → Web Request (the body read whole). */
export async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
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

/** Web Response → node:http response (each Set-Cookie kept separate). */
export async function send(res: ServerResponse, response: Response): Promise<void> {
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

export async function startSandboxServer(options: SandboxOptions & { port?: number; host?: string } = {}): Promise<SandboxServer> {
  const { port = 0, host = "127.0.0.1", ...sandboxOptions } = options;
  const sandbox = createMetaSandbox(sandboxOptions);
  let origin = "";
  const server = createServer((req, res) => {
    const remote = !isLoopbackAddress(req.socket.remoteAddress);
    // Absolute URLs we emit (paging, redirects) follow the host the client actually used.
    toRequest(req, req.headers.host ? `http://${req.headers.host}` : origin)
      .then((request) =>
        remote && /\/_control(\/|$)/.test(new URL(request.url).pathname)
          ? jsonResponse({ error: { message: "Sandbox controls answer loopback clients only" } }, 403)
          : sandbox(request),
      )
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
    sandbox,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
