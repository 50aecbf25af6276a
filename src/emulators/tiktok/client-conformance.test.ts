import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submitConsent } from "../../../tests/helpers/oauth-sandbox";
import type { OAuth2Sandbox } from "../oauth2/sandbox";
import type { SandboxServer } from "../oauth2/server";
import { DEFAULT_TIKTOK_CLIENT, startTikTokServer } from "./index";

// oauth4webapi against the TikTok sandbox over HTTP, the way Auth.js's TikTok provider drives it:
// client_secret_post plus `client_key` in every token request, PKCE S256, rotation, revoke.

let server: SandboxServer<OAuth2Sandbox>;
beforeAll(async () => {
  server = await startTikTokServer({ port: 0 });
});
afterAll(() => server.close());

const insecure = { [oauth.allowInsecureRequests]: true };
const key = DEFAULT_TIKTOK_CLIENT.clientId;
const client: oauth.Client = { client_id: key };
const auth = oauth.ClientSecretPost(DEFAULT_TIKTOK_CLIENT.clientSecret);
const redirectUri = DEFAULT_TIKTOK_CLIENT.redirectUris[0]!;
const withKey = { ...insecure, additionalParameters: { client_key: key } };

describe("oauth4webapi against the TikTok sandbox", () => {
  it("links with PKCE, reads user info, refreshes with rotation and revokes", async () => {
    const as: oauth.AuthorizationServer = {
      issuer: server.url,
      authorization_endpoint: `${server.url}/v2/auth/authorize`,
      token_endpoint: `${server.url}/v2/oauth/token/`,
      revocation_endpoint: `${server.url}/v2/oauth/revoke/`,
    };
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      client_key: key,
      response_type: "code",
      scope: "user.info.basic,user.info.profile,user.info.stats",
      redirect_uri: redirectUri,
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    }).toString();
    const consent = await submitConsent(fetch, await (await fetch(url)).text(), { persona: "zoe" });
    const params = oauth.validateAuthResponse(as, client, new URL(consent.headers.get("location")!), state);
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, auth, params, redirectUri, verifier, withKey),
    );
    expect(tokens).toMatchObject({ token_type: "bearer", expires_in: 7200, open_id: "5f0c8a1e-3b7d-4c2a-9e61-0d4b2f7a9c13" });

    const info = await oauth.protectedResourceRequest(tokens.access_token, "GET", new URL(`${server.url}/v2/user/info/?fields=display_name,username`), undefined, undefined, insecure);
    expect(await info.json()).toMatchObject({ data: { user: { display_name: "Zoë Ångström", username: "zoe.angstrom" } }, error: { code: "ok" } });

    const refreshed = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, withKey));
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    const replay = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, withKey)).catch((e: unknown) => e);
    expect((replay as oauth.ResponseBodyError).error).toBe("invalid_grant");

    await expect(oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, refreshed.access_token, withKey))).resolves.toBeUndefined();
  });
});
