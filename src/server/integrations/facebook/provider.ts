import "server-only";
import { createHmac } from "node:crypto";
import type { OAuthConfig } from "next-auth/providers";
import { z } from "zod";
import type { ServerEnv } from "@/env";

/**
 * Our own Facebook provider (decision 2 in docs/decisions/009-facebook-link-only-provider.md): the
 * built-in one pins an expired Graph version and unversioned URLs. Every URL comes from one
 * config (env.meta). `checks: ["state"]`: Facebook's web dialog drops a PKCE challenge, and a
 * later code_verifier then fails the exchange.
 */

/** @link https://developers.facebook.com/docs/graph-api/reference/user/ */
export const facebookProfileSchema = z.object({
  id: z.string().regex(/^\d+$/),
  name: z.string().default("Facebook user"),
  email: z.string().optional(),
  picture: z.object({ data: z.object({ url: z.string() }).partial() }).partial().optional(),
});
export type FacebookProfile = z.infer<typeof facebookProfileSchema>;

export function facebookUrls(meta: ServerEnv["meta"]) {
  return {
    authorization: `${meta.webUrl}/${meta.graphVersion}/dialog/oauth`,
    token: `${meta.graphUrl}/${meta.graphVersion}/oauth/access_token`,
    userinfo: `${meta.graphUrl}/${meta.graphVersion}/me`,
  };
}

export function facebookProvider(meta: ServerEnv["meta"]): OAuthConfig<FacebookProfile> {
  const urls = facebookUrls(meta);
  return {
    id: "facebook",
    name: "Facebook",
    type: "oauth",
    clientId: meta.appId,
    clientSecret: meta.appSecret,
    checks: ["state"],
    authorization: { url: urls.authorization, params: { scope: meta.scopes.join(",") } },
    token: urls.token,
    userinfo: {
      url: urls.userinfo,
      // Sent with appsecret_proof, which an app set to "Require App Secret" demands on every call.
      async request({ tokens }: { tokens: { access_token?: string } }) {
        const token = tokens.access_token ?? "";
        const url = new URL(urls.userinfo);
        url.searchParams.set("fields", "id,name,email,picture");
        url.searchParams.set("appsecret_proof", appSecretProof(token, meta.appSecret));
        const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        if (!response.ok) throw new Error(`Facebook profile request failed with HTTP ${response.status}`);
        return facebookProfileSchema.parse(await response.json());
      },
    },
    profile(profile) {
      return { id: profile.id, name: profile.name, email: profile.email ?? null, image: profile.picture?.data?.url ?? null };
    },
    style: { brandColor: "#1877f2" },
  };
}

export function appSecretProof(token: string, appSecret: string): string {
  return createHmac("sha256", appSecret).update(token).digest("hex");
}
