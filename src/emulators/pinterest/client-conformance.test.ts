import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submitConsent } from "../../../tests/helpers/oauth-sandbox";
import type { OAuth2Sandbox } from "../oauth2/sandbox";
import type { SandboxServer } from "../oauth2/server";
import { DEFAULT_PINTEREST_CLIENT, startPinterestServer } from "./index";

// oauth4webapi against the Pinterest sandbox over HTTP: Basic client auth, no PKCE, continuous
// refresh, and the revoke endpoint that refuses user tokens.

let server: SandboxServer<OAuth2Sandbox>;
beforeAll(async () => {
  server = await startPinterestServer({ port: 0 });
});
afterAll(() => server.close());

const insecure = { [oauth.allowInsecureRequests]: true };
const client: oauth.Client = { client_id: DEFAULT_PINTEREST_CLIENT.clientId };
const auth = oauth.ClientSecretBasic(DEFAULT_PINTEREST_CLIENT.clientSecret);
const redirectUri = DEFAULT_PINTEREST_CLIENT.redirectUris[0]!;

describe("oauth4webapi against the Pinterest sandbox", () => {
  it("links, reads the account, refreshes with a new refresh token; revoke is refused for user tokens", async () => {
    const as: oauth.AuthorizationServer = {
      issuer: server.url,
      authorization_endpoint: `${server.url}/oauth`,
      token_endpoint: `${server.url}/v5/oauth/token`,
      revocation_endpoint: `${server.url}/v5/oauth/token/revoke`,
    };
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({ client_id: client.client_id, redirect_uri: redirectUri, response_type: "code", scope: "boards:read,pins:read,user_accounts:read", state }).toString();
    const consent = await submitConsent(fetch, await (await fetch(url)).text(), { persona: "ana" });
    const params = oauth.validateAuthResponse(as, client, new URL(consent.headers.get("location")!), state);
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, auth, params, redirectUri, oauth.nopkce, insecure),
    );
    expect(tokens).toMatchObject({ token_type: "bearer", expires_in: 2_592_000, response_type: "authorization_code" });

    const account = await oauth.protectedResourceRequest(tokens.access_token, "GET", new URL(`${server.url}/v5/user_account`), undefined, undefined, insecure);
    expect(await account.json()).toMatchObject({ account_type: "BUSINESS", username: "ana_solo" });

    const refreshed = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, insecure));
    expect(refreshed.refresh_token).toMatch(/^pinr/);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);

    const revoke = await oauth.revocationRequest(as, client, auth, refreshed.access_token, insecure);
    await expect(oauth.processRevocationResponse(revoke)).rejects.toThrow("unexpected HTTP status code");
  });
});
