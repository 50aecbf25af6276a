import { vapidKey } from "./apps";
import { html, json, page } from "./responses";
import type { Srv } from "./state";
import { features, knownScopes } from "./versions";

/** /api/v1/instance, /api/v2/instance, /.well-known/oauth-authorization-server, nodeinfo. */

function counts(srv: Srv) {
  const users = Object.values(srv.s.users).filter((u) => u.state !== "deleted");
  const statuses = users.reduce((n, u) => n + u.statusesBase, 0) + Object.keys(srv.s.statuses).length;
  return { users: users.length, statuses };
}

const statusesConfig = (srv: Srv) => ({ max_characters: srv.s.maxCharacters, max_media_attachments: 4, characters_reserved_per_url: 23 });
const media = { supported_mime_types: ["image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4"], image_size_limit: 16_777_216, video_size_limit: 103_809_024 };
const polls = { max_options: 4, max_characters_per_option: 50, min_expiration: 300, max_expiration: 2_629_746 };

export function instanceV1(srv: Srv, base: string): Response {
  const c = counts(srv);
  return json({
    uri: srv.s.domain,
    title: srv.s.title,
    short_description: `${srv.s.title}, a Mastodon sandbox server.`,
    description: `${srv.s.title}, a Mastodon sandbox server.`,
    email: `admin@${srv.s.domain}`,
    version: srv.s.version,
    urls: { streaming_api: base.replace(/^http/, "ws") },
    stats: { user_count: c.users, status_count: c.statuses, domain_count: 1 },
    thumbnail: null,
    languages: ["en"],
    registrations: true,
    approval_required: false,
    invites_enabled: true,
    configuration: { accounts: { max_featured_tags: 10 }, statuses: statusesConfig(srv), media_attachments: media, polls },
    contact_account: null,
    rules: [],
  });
}

export function instanceV2(srv: Srv, base: string): Response {
  const f = features(srv.s.version);
  if (!f.instanceV2) return notFoundPage();
  return json({
    domain: srv.s.domain,
    title: srv.s.title,
    version: srv.s.version,
    source_url: "https://github.com/mastodon/mastodon",
    description: `${srv.s.title}, a Mastodon sandbox server.`,
    usage: { users: { active_month: counts(srv).users } },
    thumbnail: { url: `${base}/packs/media/images/preview.png` },
    languages: ["en"],
    configuration: {
      urls: { streaming: base.replace(/^http/, "ws") },
      vapid: { public_key: vapidKey(srv) },
      accounts: { max_featured_tags: 10, max_pinned_statuses: 5 },
      statuses: statusesConfig(srv),
      media_attachments: media,
      polls,
      translation: { enabled: false },
    },
    registrations: { enabled: true, approval_required: false, message: null },
    ...(f.apiVersion !== null ? { api_versions: { mastodon: f.apiVersion } } : {}),
    contact: { email: `admin@${srv.s.domain}`, account: null },
    rules: [],
  });
}

export function oauthMetadata(srv: Srv, base: string): Response {
  const f = features(srv.s.version);
  if (!f.oauthMetadata) return notFoundPage();
  return json({
    issuer: `${base}/`,
    service_documentation: "https://docs.joinmastodon.org/",
    authorization_endpoint: `${base}/oauth/authorize`,
    token_endpoint: `${base}/oauth/token`,
    app_registration_endpoint: `${base}/api/v1/apps`,
    revocation_endpoint: `${base}/oauth/revoke`,
    ...(f.userinfo ? { userinfo_endpoint: `${base}/oauth/userinfo` } : {}),
    scopes_supported: knownScopes(srv.s.version),
    response_types_supported: ["code"],
    response_modes_supported: ["query", "fragment", "form_post"],
    code_challenge_methods_supported: ["S256"],
    grant_types_supported: ["authorization_code", "client_credentials"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
  });
}

export function nodeinfoLinks(base: string): Response {
  return json({ links: [{ rel: "http://nodeinfo.diaspora.software/ns/schema/2.0", href: `${base}/nodeinfo/2.0` }] });
}

export function nodeinfo(srv: Srv): Response {
  const c = counts(srv);
  return json({
    version: "2.0",
    software: { name: "mastodon", version: srv.s.version },
    protocols: ["activitypub"],
    services: { outbound: [], inbound: [] },
    usage: { users: { total: c.users, activeMonth: c.users, activeHalfyear: c.users }, localPosts: c.statuses },
    openRegistrations: true,
    metadata: { nodeName: srv.s.title, nodeDescription: `${srv.s.title}, a Mastodon sandbox server.` },
  });
}

export function notFoundPage(): Response {
  return html(page("The page you are looking for isn't here.", "<h1>The page you are looking for isn't here.</h1>"), 404);
}
