import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submitConsent } from "../../../tests/helpers/oauth-sandbox";
import type { OAuth2Sandbox } from "../oauth2/sandbox";
import type { SandboxServer } from "../oauth2/server";
import { DEFAULT_X_CLIENT, startXServer } from "./index";

// A real OAuth client (oauth4webapi, what Auth.js uses inside) against the X sandbox over HTTP:
// consent form, PKCE S256, Basic client auth, rotation, revoke, the profile call.

let server: SandboxServer<OAuth2Sandbox>;
beforeAll(async () => {
  server = await startXServer({ port: 0 });
});
afterAll(() => server.close());

const insecure = { [oauth.allowInsecureRequests]: true };
const client: oauth.Client = { client_id: DEFAULT_X_CLIENT.clientId };
const auth = oauth.ClientSecretBasic(DEFAULT_X_CLIENT.clientSecret);
const redirectUri = DEFAULT_X_CLIENT.redirectUris[0]!;

describe("oauth4webapi against the X sandbox", () => {
  it("links through the consent page, refreshes with rotation, reads the profile and revokes", async () => {
    const as: oauth.AuthorizationServer = {
      issuer: server.url,
      authorization_endpoint: `${server.url}/i/oauth2/authorize`,
      token_endpoint: `${server.url}/2/oauth2/token`,
      revocation_endpoint: `${server.url}/2/oauth2/revoke`,
    };
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      response_type: "code",
      client_id: client.client_id,
      redirect_uri: redirectUri,
      scope: "users.read tweet.read offline.access",
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    }).toString();

    const page = await fetch(url);
    const consent = await submitConsent(fetch, await page.text(), { persona: "lukasz" });
    const params = oauth.validateAuthResponse(as, client, new URL(consent.headers.get("location")!), state);
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, auth, params, redirectUri, verifier, insecure),
    );
    expect(tokens.token_type).toBe("bearer");
    expect(tokens.expires_in).toBe(7200);
    expect(tokens.refresh_token).toEqual(expect.any(String));

    const me = await oauth.protectedResourceRequest(tokens.access_token, "GET", new URL(`${server.url}/2/users/me?user.fields=public_metrics`), undefined, undefined, insecure);
    expect(((await me.json()) as { data: { username: string } }).data.username).toBe("lukasz_zolc");

    const refreshed = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, insecure));
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);

    const replay = await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, insecure);
    const refused = await oauth.processRefreshTokenResponse(as, client, replay).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(oauth.ResponseBodyError);
    expect((refused as oauth.ResponseBodyError).error).toBe("invalid_request");

    const revoked = await oauth.revocationRequest(as, client, auth, refreshed.refresh_token!, insecure);
    await expect(oauth.processRevocationResponse(revoked)).resolves.toBeUndefined();
  });
});
