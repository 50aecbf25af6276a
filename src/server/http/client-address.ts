import { randomBytes, timingSafeEqual } from "node:crypto";
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { env } from "@/env";

/**
 * Where a request comes from (docs/decisions/015-client-address.md).
 *
 * Next.js gives route handlers, server actions and Auth.js no socket, and the `x-forwarded-for` it
 * fills in is only a default: a header the client sent itself is kept. So the server process stamps
 * every request, as Node parses it and before Next sees it, with the socket's peer address under
 * one header whose value starts with a secret drawn at start-up. A client can send that header too,
 * but cannot know the secret, and the stamp overwrites it anyway.
 */
const PEER_HEADER = "x-linkboard-peer";

type Holder = { __linkboardPeerSecret?: string; __linkboardPeerStamp?: boolean };
const holder = globalThis as unknown as Holder;

function secret(): string {
  holder.__linkboardPeerSecret ??= randomBytes(18).toString("base64url");
  return holder.__linkboardPeerSecret;
}

/** The stamp for a peer address (the server installs it; tests use it to play a given client). */
export function peerStamp(address: string): string {
  return `${secret()} ${address}`;
}

/**
 * Stamps every request this process's HTTP servers parse from now on. Node publishes
 * `http.server.request.start` before the request reaches any listener — Next's included.
 */
export function installPeerAddressStamp(): void {
  if (holder.__linkboardPeerStamp) return;
  holder.__linkboardPeerStamp = true;
  subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    request.headers[PEER_HEADER] = peerStamp(socket.remoteAddress ?? "");
  });
}

/** The TCP peer of this request, or null when the request carries no valid stamp. */
export function peerAddress(request: Request | Headers): string | null {
  const value = (request instanceof Headers ? request : request.headers).get(PEER_HEADER);
  if (!value) return null;
  const space = value.indexOf(" ");
  const given = Buffer.from(space < 0 ? value : value.slice(0, space));
  const expected = Buffer.from(secret());
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return value.slice(space + 1) || null;
}

/**
 * The client's IP for rate limits. With no trusted proxy (the default) that is the TCP peer;
 * behind N proxies (TRUSTED_PROXY_HOPS=N) it is the Nth `x-forwarded-for` entry from the right —
 * the entries further left were written by the client and are not believed. "unknown" when
 * neither is available (a request built in process).
 */
export function clientIp(request: Request | Headers, hops = env().trustedProxyHops): string {
  const peer = peerAddress(request);
  if (hops > 0 && peer) {
    const forwarded = (request instanceof Headers ? request : request.headers).get("x-forwarded-for");
    const chain = (forwarded ?? "").split(",").map((x) => x.trim()).filter(Boolean);
    const entry = chain[chain.length - hops];
    if (entry) return entry.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
  }
  return peer?.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "") ?? "unknown";
}
