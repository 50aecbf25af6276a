import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";
import { send, toRequest } from "@/emulators/node-adapter";
import { installPeerAddressStamp } from "@/server/http/client-address";

/**
 * The app's route handlers on a real port, for tests that need real sockets (peer addresses,
 * truly concurrent requests): node:http → NextRequest → handler → node response. Requests are
 * stamped with their peer address exactly as in the Next server (src/instrumentation.ts).
 * `routes` maps a path prefix to its handlers; the longest matching prefix wins. It is read on every
 * request, so a test may fill it after the server is up (once env() knows the server's URL).
 */
type Handler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
export type RouteTable = Record<string, Partial<Record<"GET" | "POST" | "DELETE", Handler>>>;

export type HttpApp = { url: string; port: number; close: () => Promise<void> };

async function toNextRequest(req: IncomingMessage, origin: string): Promise<NextRequest> {
  return new NextRequest(await toRequest(req, origin));
}

export async function serveRoutes(routes: RouteTable, o: { host?: string; origin?: string } = {}): Promise<HttpApp> {
  installPeerAddressStamp();
  let origin = o.origin ?? "";
  const server: Server = createServer((req, res) => {
    toNextRequest(req, origin)
      .then(async (request) => {
        const prefixes = Object.keys(routes).sort((a, b) => b.length - a.length);
        const prefix = prefixes.find((p) => request.nextUrl.pathname === p || request.nextUrl.pathname.startsWith(p.endsWith("/") ? p : `${p}/`));
        const handler = prefix ? routes[prefix]![request.method as "GET" | "POST" | "DELETE"] : undefined;
        if (!handler) return send(res, new Response("not found", { status: 404 }));
        return send(res, await handler(request, { params: Promise.resolve({}) }));
      })
      .catch((error: unknown) => {
        res.writeHead(599, { "content-type": "text/plain" });
        res.end(`test server failure: ${error instanceof Error ? error.message : String(error)}`);
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, o.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin ||= `http://127.0.0.1:${port}`;
  return {
    url: origin,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** This machine's first non-loopback IPv4 address, to reach a server as a "remote" client. */
export async function externalAddress(): Promise<string | null> {
  const { networkInterfaces } = await import("node:os");
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  }
  return null;
}
