import type { ServerState, User } from "./state";

/**
 * The servers a Mastodon sandbox plays by default, and their users. Ids are deterministic;
 * Zoë has an account on two servers with the same id on both (ids are only unique per server).
 */

export type MastodonUserSeed = {
  /** The persona id used by controls, `sandbox_persona` and the dialog. */
  persona: string;
  id: string;
  username: string;
  displayName: string;
  note?: string;
  /** Custom emoji shortcodes used in the display name (served by the sandbox). */
  emojis?: string[];
  followers?: number;
  following?: number;
  statuses?: number;
  avatar?: boolean;
  locked?: boolean;
  bot?: boolean;
  color?: string;
};

export type MastodonServerConfig = {
  /** Route and control key (path segment when served under one origin). */
  id: string;
  /** LOCAL_DOMAIN: the domain of handles (`@user@domain`); URLs follow the host the client used. */
  domain?: string;
  title?: string;
  version?: string;
  maxCharacters?: number;
  users?: MastodonUserSeed[];
};

// 30 graphemes, non-ASCII, an emoji and a custom emoji: the local display-name limit.
export const LONG_NAME = "Zoë Ångström 🌸 :blobcat: Malmö";

const zoe = (statuses: number): MastodonUserSeed => ({
  persona: "zoe",
  id: "109000000000000001",
  username: "zoe",
  displayName: LONG_NAME,
  note: "Night skies over Øresund 🌌\nPrints: zoe.example",
  emojis: ["blobcat"],
  followers: 1204,
  following: 311,
  statuses,
  color: "#6364ff",
});

export const DEFAULT_SERVERS: MastodonServerConfig[] = [
  {
    id: "mastodon",
    domain: "mastodon.example",
    title: "Mastodon Sandbox",
    version: "4.4.3",
    users: [
      zoe(87),
      { persona: "li", id: "109000000000000002", username: "xiaolong", displayName: "李小龙", followers: 88_412, following: 17, statuses: 1302, color: "#e8590c" },
      { persona: "quiet", id: "109000000000000003", username: "quiet", displayName: "", avatar: false, followers: 0, following: 2, statuses: 0, color: "#868e96" },
    ],
  },
  {
    id: "legacy",
    domain: "legacy.example",
    title: "Legacy Social",
    version: "4.2.10",
    users: [
      zoe(12),
      { persona: "ola", id: "110000000000000042", username: "ola", displayName: "Ola Nordmann", followers: 57, following: 80, statuses: 230, locked: true, color: "#2f9e44" },
    ],
  },
  {
    id: "glitch",
    domain: "glitch.example",
    title: "Glitch Garden",
    version: "4.3.2+glitch",
    users: [{ persona: "kai", id: "111000000000000007", username: "kai", displayName: "Kai Müller 🦊", followers: 3, following: 3, statuses: 41, bot: true, color: "#c92a2a" }],
  },
];

export function dialogLabel(u: User, domain: string): string {
  return u.displayName ? `${u.displayName} (@${u.username}@${domain})` : `@${u.username}@${domain} (no display name)`;
}

export function seedServer(c: MastodonServerConfig, now: number): ServerState {
  const users: Record<string, User> = {};
  const created = now - 700 * 24 * 3600_000;
  for (const u of c.users ?? []) {
    users[u.id] = {
      personaId: u.persona,
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      note: u.note ?? "",
      locked: u.locked ?? false,
      bot: u.bot ?? false,
      createdAt: Math.floor(created / 86_400_000) * 86_400_000,
      followers: u.followers ?? 0,
      following: u.following ?? 0,
      statusesBase: u.statuses ?? 0,
      lastStatusAt: (u.statuses ?? 0) > 0 ? new Date(now - 3 * 86_400_000).toISOString().slice(0, 10) : null,
      emojis: (u.emojis ?? []).map((shortcode) => ({ shortcode, color: "#f08c00" })),
      avatar: u.avatar ?? true,
      color: u.color ?? "#6364ff",
      state: "active",
    };
  }
  return {
    id: c.id,
    domain: c.domain ?? c.id,
    title: c.title ?? c.id,
    version: c.version ?? "4.4.3",
    maxCharacters: c.maxCharacters ?? 500,
    clockOffsetMs: 0,
    users,
    apps: {},
    nextAppId: 1,
    codes: {},
    tokens: {},
    statuses: {},
    lastStatusMs: 0,
    idempotency: {},
    rateWindows: {},
    faults: [],
    misbehaviours: [],
    dialog: { behaviour: "interactive" },
  };
}
