import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submitConsent } from "../../../tests/helpers/oauth-sandbox";
import type { OAuth2Sandbox } from "../oauth2/sandbox";
import type { SandboxServer } from "../oauth2/server";
import { DEFAULT_LINKEDIN_CLIENT, startLinkedInServer } from "./index";

// oauth4webapi (inside Auth.js) against the LinkedIn sandbox over HTTP: OIDC discovery, the consent
// page, client_secret_post, id_token validation, userinfo, refresh and revoke.

let server: SandboxServer<OAuth2Sandbox>;
beforeAll(async () => {
  server = await startLinkedInServer({ port: 0 });
});
afterAll(() => server.close());

const insecure = { [oauth.allowInsecureRequests]: true };
const client: oauth.Client = { client_id: DEFAULT_LINKEDIN_CLIENT.clientId };
const auth = oauth.ClientSecretPost(DEFAULT_LINKEDIN_CLIENT.clientSecret);
const redirectUri = DEFAULT_LINKEDIN_CLIENT.redirectUris[0]!;

describe("oauth4webapi against the LinkedIn sandbox", () => {
  it("discovers, links, validates the id_token, reads userinfo, refreshes and revokes", async () => {
    const issuer = new URL(`${server.url}/oauth`);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: "oidc", ...insecure }));
    expect(as.issuer).toBe(issuer.href);

    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({ response_type: "code", client_id: client.client_id, redirect_uri: redirectUri, scope: "openid profile email", state, nonce }).toString();
    const consent = await submitConsent(fetch, await (await fetch(url)).text(), { persona: "li" });
    const params = oauth.validateAuthResponse(as, client, new URL(consent.headers.get("location")!), state);
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, auth, params, redirectUri, oauth.nopkce, insecure),
      { expectedNonce: nonce, requireIdToken: true },
    );
    const claims = oauth.getValidatedIdTokenClaims(tokens)!;
    expect(claims).toMatchObject({ iss: issuer.href, aud: client.client_id, name: "李小龙" });

    const info = await oauth.processUserInfoResponse(as, client, claims.sub, await oauth.userInfoRequest(as, client, tokens.access_token, insecure));
    expect(info).toMatchObject({ sub: claims.sub, given_name: "小龙", family_name: "李" });

    // LinkedIn's refresh answer has no token_type (reference §3): a strict client refuses it, so the
    // app has to read it with a conform step, as for Threads.
    const refreshRes = await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, insecure);
    const raw = (await refreshRes.clone().json()) as { access_token: string; refresh_token: string };
    expect(raw.refresh_token).toBe(tokens.refresh_token);
    await expect(oauth.processRefreshTokenResponse(as, client, refreshRes)).rejects.toThrow('"response" body "token_type" property must be a string');

    const revokeAs = { ...as, revocation_endpoint: `${server.url}/oauth/v2/revoke` };
    await expect(oauth.processRevocationResponse(await oauth.revocationRequest(revokeAs, client, auth, raw.access_token, insecure))).resolves.toBeUndefined();
    const after = await oauth.userInfoRequest(as, client, raw.access_token, insecure);
    expect(after.status).toBe(401);
  });
});
