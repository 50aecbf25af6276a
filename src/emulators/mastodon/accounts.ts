import { authenticate, requireUser } from "./auth";
import type { Params } from "./http";
import { ApiError, esc, html, json, page } from "./responses";
import type { Srv, User } from "./state";
import { features } from "./versions";

/** Accounts as the API renders them, verify_credentials, /oauth/userinfo and the images they link. */

// A 1×1 grey PNG: what Mastodon serves as missing.png.
const MISSING_PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mM8/w8AAn8B/ZgH0OoAAAAASUVORK5CYII=", "base64");

export function statusesCount(srv: Srv, u: User): number {
  return u.statusesBase + Object.values(srv.s.statuses).filter((s) => s.userId === u.id).length;
}

function noteHtml(text: string): string {
  return text ? text.split(/\n{2,}/).map((p) => `<p>${esc(p).replace(/\n/g, "<br />")}</p>`).join("") : "";
}

export function accountJson(srv: Srv, u: User, base: string) {
  const avatar = u.avatar ? `${base}/system/accounts/avatars/${u.id}/original/avatar.svg` : `${base}/avatars/original/missing.png`;
  const latest = Object.values(srv.s.statuses).filter((s) => s.userId === u.id).sort((a, b) => b.createdAt - a.createdAt)[0];
  return {
    id: u.id,
    username: u.username,
    acct: u.username,
    display_name: u.displayName,
    locked: u.locked,
    bot: u.bot,
    discoverable: true,
    group: false,
    created_at: new Date(u.createdAt).toISOString(),
    note: noteHtml(u.note),
    url: `${base}/@${u.username}`,
    uri: `${base}/users/${u.username}`,
    avatar,
    avatar_static: avatar,
    header: `${base}/headers/original/missing.png`,
    header_static: `${base}/headers/original/missing.png`,
    followers_count: u.followers,
    following_count: u.following,
    statuses_count: statusesCount(srv, u),
    last_status_at: latest ? new Date(latest.createdAt).toISOString().slice(0, 10) : u.lastStatusAt,
    emojis: u.emojis.map((e) => ({ shortcode: e.shortcode, url: `${base}/system/custom_emojis/${e.shortcode}.svg`, static_url: `${base}/system/custom_emojis/${e.shortcode}.svg`, visible_in_picker: true })),
    fields: [],
  };
}

export function credentialAccountJson(srv: Srv, u: User, base: string) {
  return {
    ...accountJson(srv, u, base),
    source: { privacy: "public", sensitive: false, language: "", note: u.note, fields: [], follow_requests_count: 0 },
    role: { id: "-99", name: "", permissions: "65536", color: "", highlighted: false },
  };
}

export function verifyCredentials(srv: Srv, req: Request, p: Params, base: string): Response {
  const scopes = features(srv.s.version).profileScope ? ["profile", "read", "read:accounts"] : ["read", "read:accounts"];
  const user = requireUser(authenticate(srv, req, p, scopes));
  return json(credentialAccountJson(srv, user, base));
}

export function userinfo(srv: Srv, req: Request, p: Params, base: string): Response {
  const user = requireUser(authenticate(srv, req, p, ["profile"]));
  const a = accountJson(srv, user, base);
  return json({ iss: `${base}/`, sub: a.uri, name: user.displayName || user.username, preferred_username: user.username, profile: a.url, picture: a.avatar });
}

export function getAccount(srv: Srv, id: string, base: string): Response {
  const u = srv.s.users[id];
  if (!u || u.state === "deleted") throw new ApiError(404, "Record not found");
  return json(accountJson(srv, u, base));
}

function svg(label: string, color: string, w = 120, h = 120): Response {
  const body = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="${w}" height="${h}" rx="12" fill="${color}"/><text x="${w / 2}" y="${h / 2 + 14}" font-size="40" text-anchor="middle" fill="#fff" font-family="sans-serif">${esc(label)}</text></svg>`;
  return new Response(body, { headers: { "content-type": "image/svg+xml", "cache-control": "public, max-age=3600" } });
}

/** Avatars, custom emoji, missing.png and the public profile page (the account's `url`). */
export function asset(srv: Srv, path: string, base: string): Response | null {
  if (path === "/avatars/original/missing.png" || path === "/headers/original/missing.png") {
    return new Response(MISSING_PNG, { headers: { "content-type": "image/png", "cache-control": "public, max-age=3600" } });
  }
  const avatar = /^\/system\/accounts\/avatars\/(\d+)\/original\/avatar\.svg$/.exec(path);
  if (avatar?.[1]) {
    const u = srv.s.users[avatar[1]];
    return u ? svg([...(u.displayName || u.username)].filter((c) => /\p{L}/u.test(c)).slice(0, 2).join(""), u.color) : null;
  }
  const emoji = /^\/system\/custom_emojis\/([a-z0-9_]+)\.svg$/.exec(path);
  if (emoji?.[1]) return svg(":", "#f08c00", 32, 32);
  const profile = /^\/@([a-z0-9_]+)$/i.exec(path);
  if (profile?.[1]) {
    const u = Object.values(srv.s.users).find((x) => x.username === profile[1] && x.state !== "deleted");
    if (!u) return null;
    return html(page(`${u.displayName || u.username} (@${u.username}@${srv.s.domain})`, `<h1>${esc(u.displayName || u.username)}</h1><p>@${esc(u.username)}@${esc(srv.s.domain)}</p><p><a href="${esc(base)}">${esc(srv.s.title)}</a></p>`));
  }
  return null;
}
