import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submitConsent } from "../../../tests/helpers/oauth-sandbox";
import type { OAuth2Sandbox } from "../oauth2/sandbox";
import type { SandboxServer } from "../oauth2/server";
import { DEFAULT_GOOGLE_CLIENT, startYouTubeServer } from "./index";

// oauth4webapi against the Google/YouTube sandbox over HTTP: discovery, offline access with
// prompt=consent, PKCE, id_token validation, userinfo, channels.list, refresh and revoke.

let server: SandboxServer<OAuth2Sandbox>;
beforeAll(async () => {
  server = await startYouTubeServer({ port: 0, basePath: "/sandbox/youtube" });
});
afterAll(() => server.close());

const insecure = { [oauth.allowInsecureRequests]: true };
const client: oauth.Client = { client_id: DEFAULT_GOOGLE_CLIENT.clientId };
const auth = oauth.ClientSecretBasic(DEFAULT_GOOGLE_CLIENT.clientSecret);
const redirectUri = DEFAULT_GOOGLE_CLIENT.redirectUris[0]!;

describe("oauth4webapi against the YouTube sandbox (mounted under a base path)", () => {
  it("discovers, links offline, validates the id_token, reads the channel, refreshes and revokes", async () => {
    const issuer = new URL(`${server.url}/sandbox/youtube`);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: "oidc", ...insecure }));
    const verifier = oauth.generateRandomCodeVerifier();
    const nonce = oauth.generateRandomNonce();
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      client_id: client.client_id,
      redirect_uri: redirectUri,
      response_type: "code",
      scope: "openid email profile https://www.googleapis.com/auth/youtube.readonly",
      access_type: "offline",
      prompt: "consent",
      state,
      nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    }).toString();
    const consent = await submitConsent(fetch, await (await fetch(url)).text(), { persona: "lukasz" });
    const params = oauth.validateAuthResponse(as, client, new URL(consent.headers.get("location")!), state);
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, auth, params, redirectUri, verifier, insecure),
      { expectedNonce: nonce, requireIdToken: true },
    );
    const claims = oauth.getValidatedIdTokenClaims(tokens)!;
    expect(claims).toMatchObject({ iss: as.issuer, sub: "117654321098765432101", email: "lukasz.zolc@example.org" });
    expect(tokens.refresh_token).toMatch(/^1\/\/0/);

    const info = await oauth.processUserInfoResponse(as, client, claims.sub, await oauth.userInfoRequest(as, client, tokens.access_token, insecure));
    expect(info.name).toBe("Łukasz Żółć");
    const channels = await oauth.protectedResourceRequest(
      tokens.access_token,
      "GET",
      new URL(`${as.issuer}/youtube/v3/channels?part=snippet,statistics&mine=true`),
      undefined,
      undefined,
      insecure,
    );
    expect(((await channels.json()) as { items: { snippet: { customUrl: string } }[] }).items[0]!.snippet.customUrl).toBe("@lukaszzolc");

    const refreshed = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, insecure));
    expect(refreshed.refresh_token).toBeUndefined();
    expect(oauth.getValidatedIdTokenClaims(refreshed)!.sub).toBe(claims.sub);

    await expect(oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, tokens.refresh_token!, insecure))).resolves.toBeUndefined();
    const after = await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, insecure);
    await expect(oauth.processRefreshTokenResponse(as, client, after)).rejects.toThrow("server responded with an error in the response body");
  });
});
