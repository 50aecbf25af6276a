/** What a server can do, from its version string (forks decorate it: "4.3.2+glitch"). */

export function versionParts(version: string): [number, number, number] {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
}

export function atLeast(version: string, major: number, minor: number): boolean {
  const [a, b] = versionParts(version);
  return a > major || (a === major && b >= minor);
}

export type Features = {
  /** 4.3+: /.well-known/oauth-authorization-server, PKCE S256, the profile scope, array redirect_uris. */
  oauthMetadata: boolean;
  pkce: boolean;
  profileScope: boolean;
  arrayRedirectUris: boolean;
  /** 4.4+: client_secret_expires_at and /oauth/userinfo. */
  userinfo: boolean;
  secretExpiry: boolean;
  /** 4.0+: /api/v2/instance. */
  instanceV2: boolean;
  apiVersion: number | null;
};

export function features(version: string): Features {
  const v43 = atLeast(version, 4, 3);
  const v44 = atLeast(version, 4, 4);
  return {
    oauthMetadata: v43,
    pkce: v43,
    profileScope: v43,
    arrayRedirectUris: v43,
    userinfo: v44,
    secretExpiry: v44,
    instanceV2: atLeast(version, 4, 0),
    // api_versions.mastodon is not documented per release: 4.3 → 2, 4.4 → 6, 4.5 → 7 here.
    apiVersion: atLeast(version, 4, 5) ? 7 : v44 ? 6 : v43 ? 2 : null,
  };
}

const BASE_SCOPES = ["read", "write", "follow", "push", "admin:read", "admin:write"];
const GRANULAR = [
  "read:accounts", "read:blocks", "read:bookmarks", "read:favourites", "read:filters", "read:follows", "read:lists", "read:mutes",
  "read:notifications", "read:search", "read:statuses",
  "write:accounts", "write:blocks", "write:bookmarks", "write:conversations", "write:favourites", "write:filters", "write:follows",
  "write:lists", "write:media", "write:mutes", "write:notifications", "write:reports", "write:statuses",
];

/** Every scope the server knows; apps may only register and request these, literally. */
export function knownScopes(version: string): string[] {
  return [...(features(version).profileScope ? ["profile"] : []), ...BASE_SCOPES, ...GRANULAR];
}
