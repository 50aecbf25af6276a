import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { registerApp, serverFetch } from "@kit/mastodon-flow";
import { xrpcClient } from "@kit/xrpc-client";
import { startBlueskyServer } from "./bluesky";
import { startMastodonServers } from "./mastodon";
import { OAUTH_PROVIDER_IDS, OAUTH_SANDBOXES } from "./oauth2";

/** Every other sandbox server keeps its state across a stop and start with `persist`, like Meta's. */
let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), "sandbox-servers-"));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const overHttp = (request: Request) => fetch(request);

describe("standalone sandbox servers across a restart", () => {
  it("Bluesky: a session made before the restart still works after it; reset forgets it", async () => {
    let server = await startBlueskyServer({ persist: { dataDir }, failedLoginDelayMs: 0 });
    const zoe = server.sandbox.control.personas()[0]!.quickConnect!;
    const session = await xrpcClient(overHttp, server.url).login(zoe.identifier, zoe.appPassword);
    await server.close();

    server = await startBlueskyServer({ persist: { dataDir }, failedLoginDelayMs: 0 });
    expect(server.store?.outcome).toBe("loaded");
    const again = xrpcClient(overHttp, server.url);
    expect((await again.query("com.atproto.server.getSession", {}, session.accessJwt)).body).toMatchObject({ did: session.did });
    expect((await again.procedure("com.atproto.server.refreshSession", undefined, session.refreshJwt)).status).toBe(200);
    await server.close();

    server = await startBlueskyServer({ persist: { dataDir, reset: true }, failedLoginDelayMs: 0 });
    expect(server.store?.outcome).toBe("reset");
    expect((await xrpcClient(overHttp, server.url).query("com.atproto.server.getSession", {}, session.accessJwt)).status).toBe(400);
    await server.close();
  });

  it("Mastodon: an app registered before the restart is still known on its server after it", async () => {
    let servers = await startMastodonServers({ persist: { dataDir } });
    const app = await registerApp(serverFetch(overHttp, servers.urls.mastodon!));
    await servers.close();

    servers = await startMastodonServers({ persist: { dataDir } });
    const f = serverFetch(overHttp, servers.urls.mastodon!);
    const token = await f("/oauth/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: app.client_id, client_secret: app.client_secret, scope: "profile" }).toString(),
    });
    expect(token.status).toBe(200);
    await servers.close();
  });

  it.each(OAUTH_PROVIDER_IDS)("%s: a grant and its tokens issued before the restart are known after it", async (id) => {
    let server = await OAUTH_SANDBOXES[id].start({ persist: { dataDir } });
    const issued = server.sandbox.control.issueTokens({ persona: "zoe" });
    const tokenId = server.sandbox.control.tokenId(String(issued.access_token));
    await server.close();

    server = await OAUTH_SANDBOXES[id].start({ persist: { dataDir } });
    expect(server.store?.file).toBe(path.join(dataDir, "sandboxes", `${id}.json`));
    expect(server.sandbox.control.grants().map((g) => g.id)).toEqual([issued.grant_id]);
    expect(server.sandbox.control.tokenId(String(issued.access_token))).toBe(tokenId);
    await server.close();
  });
});
