import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import net, { type AddressInfo } from "node:net";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { classifyAddress } from "./address-policy";
import { createOutboundFetch, type OutboundPolicy, type Resolver } from "./outbound-fetch";
import { OutboundError } from "./outbound-error";

// Real servers on loopback. In "production" the policy is the real one, except that the TLS
// server on 127.0.0.1 stands in for a public host (nothing else about loopback is allowed).
const tlsDir = path.join(process.cwd(), "tests/fixtures/tls");
const cert = readFileSync(path.join(tlsDir, "test-only.crt"));
const key = readFileSync(path.join(tlsDir, "test-only.key"));

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
const timers = new Set<NodeJS.Timeout>();

function routes(base: () => string): Handler {
  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    switch (url.pathname) {
      case "/ok":
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, host: req.headers.host, auth: req.headers.authorization ?? null }));
        return;
      case "/echo": {
        let body = "";
        req.on("data", (c: Buffer) => (body += c.toString()));
        req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ method: req.method, body, auth: req.headers.authorization ?? null })));
        return;
      }
      case "/gzip":
        res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" }).end(gzipSync(JSON.stringify({ zipped: true })));
        return;
      case "/bomb":
        // 10 MB of zeros compresses to ~10 KB: the cap must count what comes out of the decoder.
        res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" }).end(gzipSync(Buffer.alloc(10 * 1024 * 1024)));
        return;
      case "/huge": {
        res.writeHead(200, { "content-type": "application/json" });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const pump = () => {
          while (sent < 50 * 1024 * 1024 && !res.destroyed) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once("drain", pump);
          }
          res.end();
        };
        pump();
        return;
      }
      case "/huge-declared":
        res.writeHead(200, { "content-type": "application/json", "content-length": String(50 * 1024 * 1024) });
        res.write("{");
        return;
      case "/drip": {
        res.writeHead(200, { "content-type": "application/json" });
        const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write(" ")), 20);
        timers.add(t);
        return;
      }
      case "/silent":
        return; // never answers
      case "/loop":
        res.writeHead(302, { location: `/loop?n=${Number(url.searchParams.get("n") ?? 0) + 1}` }).end();
        return;
      case "/redirect":
        res.writeHead(Number(url.searchParams.get("status") ?? 302), { location: url.searchParams.get("to") ?? "/ok" }).end();
        return;
      case "/redirect-base":
        res.writeHead(302, { location: `${base()}/ok` }).end();
        return;
      default:
        res.writeHead(404).end();
    }
  };
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

let tlsServer: https.Server;
let plainServer: http.Server;
let tlsPort = 0;
let plainPort = 0;
let silentTcp: net.Server;
let silentPort = 0;
const silentSockets = new Set<net.Socket>();

beforeAll(async () => {
  tlsServer = https.createServer({ key, cert }, routes(() => `https://public.test:${tlsPort}`));
  plainServer = http.createServer(routes(() => `http://127.0.0.1:${plainPort}`));
  // Accepts TCP and then says nothing: a TLS handshake against it never completes.
  silentTcp = net.createServer((socket) => silentSockets.add(socket));
  [tlsPort, plainPort, silentPort] = await Promise.all([listen(tlsServer), listen(plainServer), listen(silentTcp)]);
});
afterAll(async () => {
  for (const t of timers) clearInterval(t);
  for (const s of [tlsServer, plainServer]) s.closeAllConnections();
  for (const socket of silentSockets) socket.destroy();
  for (const s of [tlsServer, plainServer, silentTcp]) await new Promise((r) => s.close(r));
});

const DNS: Record<string, string[]> = {
  "public.test": ["127.0.0.1"],
  "evil.public.test": ["10.0.0.7"],
  "mixed.public.test": ["127.0.0.1", "192.168.0.10"],
  "metadata.public.test": ["169.254.169.254"],
  "v6.public.test": ["::1"],
};
const resolver: Resolver = async (host) => {
  const found = DNS[host];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
  return found.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
};

/** Production rules, with the local TLS server at 127.0.0.1 standing in for a public host. */
function production(extra: Partial<OutboundPolicy> = {}) {
  const resolve = vi.fn(resolver);
  const f = createOutboundFetch({
    allowPrivateHosts: false,
    resolve,
    ca: cert,
    classify: (ip) => (ip === "127.0.0.1" ? { allowed: true } : classifyAddress(ip)),
    ...extra,
  });
  return { f, resolve };
}
const development = (extra: Partial<OutboundPolicy> = {}) => createOutboundFetch({ allowPrivateHosts: true, resolve: resolver, ca: cert, ...extra });

async function refusal(p: Promise<unknown>): Promise<OutboundError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(OutboundError);
  return e as OutboundError;
}

describe("production rules", () => {
  const pub = () => `https://public.test:${tlsPort}`;

  it("reaches a public https host, pinned to the checked address, with TLS verified for its name", async () => {
    const { f, resolve } = production();
    const res = await f(`${pub()}/ok`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, host: `public.test:${tlsPort}`, auth: null });
    expect(res.url).toBe(`${pub()}/ok`);
    // One lookup per hop: the HTTP stack never resolves the name a second time.
    expect(resolve).toHaveBeenCalledTimes(1);
  });

  it.each([
    ["loopback", "https://127.0.0.1/"],
    ["loopback (hex form)", "https://0x7f.1/"],
    ["loopback (integer form)", "https://2130706433/"],
    ["IPv6 loopback", "https://[::1]/"],
    ["cloud metadata", "https://169.254.169.254/latest/meta-data/"],
    ["link-local", "https://169.254.10.10/"],
    ["10/8", "https://10.1.2.3/"],
    ["172.16/12", "https://172.20.0.1/"],
    ["192.168/16", "https://192.168.0.1/"],
    ["CGNAT", "https://100.64.1.1/"],
    ["unspecified", "https://0.0.0.0/"],
    ["multicast", "https://224.0.0.251/"],
    ["IPv4-mapped IPv6", "https://[::ffff:127.0.0.1]/"],
    ["IPv4-mapped IPv6 (hex)", "https://[::ffff:a9fe:a9fe]/"],
    ["IPv6 unique local", "https://[fd00::1]/"],
    ["IPv6 link-local", "https://[fe80::1]/"],
    ["NAT64 to a private address", "https://[64:ff9b::10.0.0.1]/"],
  ])("refuses %s (%s) without connecting", async (_label, url) => {
    const { f, resolve } = production({ classify: classifyAddress });
    const e = await refusal(f(url));
    expect(e.outboundCode).toBe("ADDRESS_NOT_ALLOWED");
    expect(e.code).toBe("VALIDATION_ERROR");
    expect(e.message).toBe("That server address points to a private or local network, which Linkboard does not contact.");
    expect(resolve).not.toHaveBeenCalled();
  });

  it("refuses a public name that resolves to a private address (after DNS)", async () => {
    const { f, resolve } = production();
    const e = await refusal(f(`https://evil.public.test:${tlsPort}/ok`));
    expect(e.outboundCode).toBe("ADDRESS_NOT_ALLOWED");
    expect(e.reason).toBe("private");
    expect(resolve).toHaveBeenCalledWith("evil.public.test");
  });

  it("refuses a name with one private answer among public ones, and one that resolves to metadata", async () => {
    const { f } = production();
    expect((await refusal(f(`https://mixed.public.test:${tlsPort}/ok`))).reason).toBe("private");
    expect((await refusal(f(`https://metadata.public.test:${tlsPort}/ok`))).reason).toBe("metadata");
  });

  it("refuses local names before any lookup", async () => {
    const { f, resolve } = production();
    for (const url of ["https://localhost/", "https://metadata.google.internal/", "https://intranet/", "https://router.local/"]) {
      expect((await refusal(f(url))).outboundCode).toBe("HOST_NOT_ALLOWED");
    }
    expect(resolve).not.toHaveBeenCalled();
  });

  it("refuses http://, other schemes and credentials in the URL", async () => {
    const { f } = production();
    expect((await refusal(f(`http://public.test:${plainPort}/ok`))).outboundCode).toBe("SCHEME_NOT_ALLOWED");
    expect((await refusal(f("file:///etc/passwd"))).outboundCode).toBe("SCHEME_NOT_ALLOWED");
    expect((await refusal(f(`https://user:pw@public.test:${tlsPort}/ok`))).outboundCode).toBe("INVALID_URL");
    expect((await refusal(f("not a url"))).outboundCode).toBe("INVALID_URL");
  });

  it("checks every redirect: to a private address, to a name that resolves privately, to metadata, to http", async () => {
    const { f } = production();
    const via = (to: string, status = 302) => `${pub()}/redirect?status=${status}&to=${encodeURIComponent(to)}`;
    expect((await refusal(f(via("https://10.0.0.1/admin")))).outboundCode).toBe("ADDRESS_NOT_ALLOWED");
    expect((await refusal(f(via(`https://evil.public.test:${tlsPort}/ok`, 307)))).reason).toBe("private");
    expect((await refusal(f(via("https://169.254.169.254/latest/meta-data/", 301)))).reason).toBe("metadata");
    expect((await refusal(f(via(`http://public.test:${plainPort}/ok`, 308)))).outboundCode).toBe("SCHEME_NOT_ALLOWED");
  });

  it("follows a safe redirect, and drops the Authorization header when the origin changes", async () => {
    const { f } = production();
    const same = await f(`${pub()}/redirect?to=/ok`, { headers: { authorization: "Bearer secret" } });
    expect(await same.json()).toMatchObject({ ok: true, auth: "Bearer secret" });
    expect(same.redirected).toBe(true);
    const cross = await f(`${pub()}/redirect?to=${encodeURIComponent(`https://127.0.0.1:${tlsPort}/ok`)}`, { headers: { authorization: "Bearer secret" } });
    expect(await cross.json()).toMatchObject({ ok: true, auth: null });
  });

  it("turns a POST into a GET on 303 and keeps it on 307", async () => {
    const { f } = production();
    const body = new URLSearchParams({ a: "1" });
    const r303 = await f(`${pub()}/redirect?status=303&to=/echo`, { method: "POST", body });
    expect(await r303.json()).toMatchObject({ method: "GET", body: "" });
    const r307 = await f(`${pub()}/redirect?status=307&to=/echo`, { method: "POST", body });
    expect(await r307.json()).toMatchObject({ method: "POST", body: "a=1" });
  });

  it("stops an endless redirect after the cap", async () => {
    const { f } = production({ maxRedirects: 4 });
    const e = await refusal(f(`${pub()}/loop`));
    expect(e.outboundCode).toBe("TOO_MANY_REDIRECTS");
    expect(e.code).toBe("PROVIDER_ERROR");
    expect(e.message).toBe("The server redirected us too many times.");
  });

  it("returns a redirect as-is with redirect: manual, and refuses it with redirect: error", async () => {
    const { f } = production();
    const manual = await f(`${pub()}/redirect?to=/ok`, { redirect: "manual" });
    expect(manual.status).toBe(302);
    expect(manual.headers.get("location")).toBe("/ok");
    expect((await refusal(f(`${pub()}/redirect?to=/ok`, { redirect: "error" }))).outboundCode).toBe("REDIRECT_NOT_ALLOWED");
  });

  it("cuts a huge answer off while it streams, and refuses a declared one at once", async () => {
    const { f } = production({ maxResponseBytes: 256 * 1024 });
    expect((await refusal(f(`${pub()}/huge`))).outboundCode).toBe("RESPONSE_TOO_LARGE");
    expect((await refusal(f(`${pub()}/huge-declared`))).outboundCode).toBe("RESPONSE_TOO_LARGE");
  });

  it("decompresses gzip and counts the decompressed size against the cap", async () => {
    const { f } = production({ maxResponseBytes: 256 * 1024 });
    expect(await (await f(`${pub()}/gzip`)).json()).toEqual({ zipped: true });
    expect((await refusal(f(`${pub()}/bomb`))).outboundCode).toBe("RESPONSE_TOO_LARGE");
  });

  it("gives up on a slow drip at the total deadline", async () => {
    const { f } = production({ timeoutMs: 250 });
    const started = Date.now();
    const e = await refusal(f(`${pub()}/drip`));
    expect(e.outboundCode).toBe("TIMEOUT");
    expect(e.transient).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("gives up on a server that never answers, and on a TLS handshake that never completes", async () => {
    const { f } = production({ timeoutMs: 250 });
    expect((await refusal(f(`${pub()}/silent`))).outboundCode).toBe("TIMEOUT");
    const { f: g } = production({ connectTimeoutMs: 150 });
    expect((await refusal(g(`https://public.test:${silentPort}/`))).outboundCode).toBe("CONNECT_TIMEOUT");
  });

  it("refuses a certificate that does not name the host", async () => {
    const { f } = production({ ca: undefined });
    expect((await refusal(f(`${pub()}/ok`))).outboundCode).toBe("TLS_FAILED");
  });

  it("reports unknown names and refused connections plainly", async () => {
    const { f } = production();
    const dns = await refusal(f("https://nowhere.public-test.example/"));
    expect(dns.outboundCode).toBe("DNS_FAILED");
    expect(dns.message).toBe("We could not find a server at that address.");
    const spare = http.createServer();
    const closedPort = await listen(spare);
    await new Promise((r) => spare.close(r));
    const refused = await refusal(production().f(`https://public.test:${closedPort}/`));
    expect(refused.outboundCode).toBe("CONNECTION_FAILED");
    expect(refused.transient).toBe(true);
  });

  it("honours the caller's abort signal", async () => {
    const { f } = production();
    const controller = new AbortController();
    const pending = f(`${pub()}/silent`, { signal: controller.signal });
    controller.abort();
    expect((await refusal(pending)).outboundCode).toBe("ABORTED");
  });
});

describe("development with OUTBOUND_ALLOW_PRIVATE_HOSTS", () => {
  it("reaches loopback over plain http, by IP and by a name that resolves to it", async () => {
    const f = development();
    expect(await (await f(`http://127.0.0.1:${plainPort}/ok`)).json()).toMatchObject({ ok: true });
    expect(await (await f(`http://public.test:${plainPort}/ok`)).json()).toMatchObject({ ok: true, host: `public.test:${plainPort}` });
  });

  it("allows a redirect to a private address", async () => {
    const f = development();
    const res = await f(`http://127.0.0.1:${plainPort}/redirect?to=${encodeURIComponent(`http://127.0.0.1:${plainPort}/ok`)}`);
    expect(res.status).toBe(200);
  });

  it("still refuses cloud metadata addresses", async () => {
    const f = development();
    expect((await refusal(f("http://169.254.169.254/latest/meta-data/"))).reason).toBe("metadata");
    expect((await refusal(f(`http://metadata.public.test:${plainPort}/`))).reason).toBe("metadata");
  });

  it("still caps size, redirects and time", async () => {
    const f = development({ maxResponseBytes: 64 * 1024, maxRedirects: 3, timeoutMs: 250 });
    const base = `http://127.0.0.1:${plainPort}`;
    expect((await refusal(f(`${base}/huge`))).outboundCode).toBe("RESPONSE_TOO_LARGE");
    expect((await refusal(f(`${base}/loop`))).outboundCode).toBe("TOO_MANY_REDIRECTS");
    expect((await refusal(f(`${base}/drip`))).outboundCode).toBe("TIMEOUT");
  });
});
