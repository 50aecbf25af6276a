import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submitConsent, withQuery } from "../../../tests/helpers/oauth-sandbox";
import type { OAuth2Sandbox } from "../oauth2/sandbox";
import type { SandboxServer } from "../oauth2/server";
import { DEFAULT_THREADS_CLIENT, startThreadsServer } from "./index";

// oauth4webapi against the Threads sandbox over HTTP. The code exchange answers no token_type, so a
// strict client refuses it (reference §7): the app needs a conform step, shown here, then the
// short → long-lived exchange and /me.

let server: SandboxServer<OAuth2Sandbox>;
beforeAll(async () => {
  server = await startThreadsServer({ port: 0 });
});
afterAll(() => server.close());

const insecure = { [oauth.allowInsecureRequests]: true };
const client: oauth.Client = { client_id: DEFAULT_THREADS_CLIENT.clientId };
const auth = oauth.ClientSecretPost(DEFAULT_THREADS_CLIENT.clientSecret);
const redirectUri = DEFAULT_THREADS_CLIENT.redirectUris[0]!;

describe("oauth4webapi against the Threads sandbox", () => {
  it("exchanges the code (with a conform step), goes long-lived and reads /me", async () => {
    const as: oauth.AuthorizationServer = { issuer: server.url, authorization_endpoint: `${server.url}/oauth/authorize`, token_endpoint: `${server.url}/oauth/access_token` };
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({ client_id: client.client_id, redirect_uri: redirectUri, scope: "threads_basic,threads_manage_insights", response_type: "code", state }).toString();
    const consent = await submitConsent(fetch, await (await fetch(url)).text(), { persona: "li" });
    const params = oauth.validateAuthResponse(as, client, new URL(consent.headers.get("location")!), state);
    const res = await oauth.authorizationCodeGrantRequest(as, client, auth, params, redirectUri, oauth.nopkce, insecure);

    const strict = await oauth.processAuthorizationCodeResponse(as, client, res.clone()).catch((e: unknown) => e);
    expect(strict).toBeInstanceOf(oauth.OperationProcessingError);
    expect((strict as Error).message).toBe('"response" body "token_type" property must be a string');
    // Conform step: add token_type, keep user_id as text (it exceeds 2^53).
    const raw = await res.text();
    const userId = /"user_id":(\d+)/.exec(raw)![1]!;
    const conformed = new Response(JSON.stringify({ ...(JSON.parse(raw) as object), user_id: userId, token_type: "bearer" }), { headers: { "content-type": "application/json" } });
    const short = await oauth.processAuthorizationCodeResponse(as, client, conformed);
    expect(userId).toBe("26114238890076523");

    const long = (await (
      await fetch(withQuery(`${server.url}/access_token`, { grant_type: "th_exchange_token", client_secret: DEFAULT_THREADS_CLIENT.clientSecret, access_token: short.access_token }))
    ).json()) as { access_token: string };
    const me = await oauth.protectedResourceRequest(long.access_token, "GET", new URL(`${server.url}/v1.0/me?fields=id,username,name`), undefined, undefined, insecure);
    expect(await me.json()).toEqual({ id: userId, username: "li.xiaolong", name: "李小龙" });
  });
});
