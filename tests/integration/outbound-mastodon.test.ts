import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMastodonServers, type MastodonServers } from "@/emulators/mastodon";
import { createOutboundFetch, OutboundError } from "@/server/http/outbound";
import { normalizeMastodonInstance } from "@/server/integrations/mastodon/normalize-instance";

// The outbound wrapper against a Mastodon sandbox server that misbehaves on command.
let servers: MastodonServers;
let base: string;
beforeAll(async () => {
  servers = await startMastodonServers({});
  base = servers.urls.mastodon!;
});
afterAll(() => servers.close());

const misbehave = (body: Record<string, unknown>) =>
  fetch(`${base}/_control/misbehave`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ count: 1, ...body }) });

async function outboundCode(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(OutboundError);
  return (e as OutboundError).outboundCode;
}

describe("a hostile Mastodon server cannot hurt the app", () => {
  const dev = createOutboundFetch({ allowPrivateHosts: true, maxResponseBytes: 256 * 1024, timeoutMs: 300, maxRedirects: 5 });

  it("reads a well-behaved instance through the wrapper", async () => {
    const res = await dev(`${normalizeMastodonInstance(base)}/api/v2/instance`);
    expect(await res.json()).toMatchObject({ domain: "mastodon.example" });
  });

  it("cuts off a huge answer, an endless redirect, a redirect to cloud metadata and a slow drip", async () => {
    await misbehave({ path: "/api/v2/instance", mode: "huge", bytes: 50 * 1024 * 1024 });
    expect(await outboundCode(dev(`${base}/api/v2/instance`))).toBe("RESPONSE_TOO_LARGE");
    await misbehave({ path: "/api/v2/instance", mode: "redirect-loop", count: 100 });
    expect(await outboundCode(dev(`${base}/api/v2/instance`))).toBe("TOO_MANY_REDIRECTS");
    await fetch(`${base}/_control/misbehave`, { method: "DELETE" });
    await misbehave({ path: "/api/v2/instance", mode: "redirect", location: "http://169.254.169.254/latest/meta-data/" });
    expect(await outboundCode(dev(`${base}/api/v2/instance`))).toBe("ADDRESS_NOT_ALLOWED");
    await misbehave({ path: "/api/v2/instance", mode: "slow-drip", intervalMs: 25 });
    expect(await outboundCode(dev(`${base}/api/v2/instance`))).toBe("TIMEOUT");
    expect((await dev(`${base}/api/v2/instance`)).status).toBe(200);
  });

  it("in production, the local sandbox itself is out of reach", async () => {
    const prod = createOutboundFetch({ allowPrivateHosts: false });
    expect(await outboundCode(prod(`${base}/api/v2/instance`))).toBe("SCHEME_NOT_ALLOWED");
    expect(await outboundCode(prod(base.replace("http://", "https://") + "/api/v2/instance"))).toBe("ADDRESS_NOT_ALLOWED");
  });
});
