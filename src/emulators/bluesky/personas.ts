import { createHash } from "node:crypto";
import type { Account } from "./state";

/**
 * The seeded Bluesky accounts. Credentials are fixed so docs, scripts and the app's
 * "Quick connect (sandbox)" can name them; app passwords have the real `xxxx-xxxx-xxxx-xxxx`
 * shape (lowercase base32).
 */

type Seed = Omit<Account, "did" | "createdAt" | "emailConfirmed" | "status" | "color"> & {
  status?: Account["status"];
  color: string;
  dialogLabel: string;
};

const SEEDS: Seed[] = [
  {
    personaId: "zoe",
    handle: "zoe.bsky.social",
    email: "zoe@example.org",
    emailAuthFactor: false,
    password: "sandbox-zoe-account-password",
    appPasswords: [
      { name: "Linkboard", password: "k7dq-m2xa-p4wn-tz6b", privileged: false, createdAt: 0 },
      { name: "Linkboard (privileged)", password: "q3vr-h5ke-w2ny-c7lf", privileged: true, createdAt: 0 },
    ],
    // Long, non-ASCII, emoji and a ZWJ sequence: 61 graphemes (the limit is 64).
    displayName: "Zoë Ångström 🌌✨ nocturnal photographer of Øresund 👩‍🚀 🇩🇰 🌙",
    description: "Night skies over Øresund 🌌\nPrints and workshops: zoe.example",
    avatar: true,
    banner: true,
    color: "#3b5bdb",
    followersCount: 1204,
    followsCount: 311,
    postsBase: 87,
    dialogLabel: "Zoë Ångström (@zoe.bsky.social)",
  },
  {
    personaId: "li",
    handle: "li.bsky.social",
    email: "li@example.org",
    emailAuthFactor: false,
    password: "sandbox-li-account-password",
    appPasswords: [{ name: "Linkboard", password: "m4ne-b2xq-t7ho-s3ia", privileged: false, createdAt: 0 }],
    displayName: "李小龙",
    avatar: true,
    banner: false,
    color: "#e8590c",
    followersCount: 88_412,
    followsCount: 17,
    postsBase: 1302,
    dialogLabel: "李小龙 (@li.bsky.social)",
  },
  {
    personaId: "nora",
    // A custom-domain handle, and the barest profile: only did and handle.
    handle: "nora.example.com",
    email: "nora@example.com",
    emailAuthFactor: false,
    password: "sandbox-nora-account-password",
    appPasswords: [{ name: "Linkboard", password: "f6ug-r2we-y5ob-l4pk", privileged: false, createdAt: 0 }],
    avatar: false,
    banner: false,
    color: "#2f9e44",
    followersCount: 0,
    followsCount: 0,
    postsBase: 0,
    dialogLabel: "nora.example.com (no display name)",
  },
  {
    personaId: "ingrid",
    handle: "ingrid.bsky.social",
    email: "ingrid@example.org",
    // Email 2FA: the account password needs a sign-in code; app passwords bypass it.
    emailAuthFactor: true,
    password: "sandbox-ingrid-account-password",
    appPasswords: [{ name: "Linkboard", password: "d2sa-x7jc-o3ve-n5gr", privileged: false, createdAt: 0 }],
    displayName: "Ingrid Øvergård",
    avatar: true,
    banner: false,
    color: "#9c36b5",
    followersCount: 52,
    followsCount: 64,
    postsBase: 9,
    dialogLabel: "Ingrid Øvergård (@ingrid.bsky.social, email 2FA)",
  },
  {
    personaId: "tomas",
    handle: "tomas.bsky.social",
    email: "tomas@example.org",
    emailAuthFactor: false,
    password: "sandbox-tomas-account-password",
    appPasswords: [{ name: "Linkboard", password: "h3lt-p6ma-e2zu-c4wy", privileged: false, createdAt: 0 }],
    displayName: "Tomás Núñez",
    status: "takendown",
    avatar: true,
    banner: false,
    color: "#c92a2a",
    followersCount: 3,
    followsCount: 900,
    postsBase: 4000,
    dialogLabel: "Tomás Núñez (@tomas.bsky.social, taken down)",
  },
  {
    personaId: "dagny",
    handle: "dagny.bsky.social",
    email: "dagny@example.org",
    emailAuthFactor: false,
    password: "sandbox-dagny-account-password",
    appPasswords: [{ name: "Linkboard", password: "w5ri-a3kn-g7ep-v2dx", privileged: false, createdAt: 0 }],
    displayName: "Dagny Ødegaard",
    status: "deactivated",
    avatar: false,
    banner: false,
    color: "#868e96",
    followersCount: 140,
    followsCount: 200,
    postsBase: 31,
    dialogLabel: "Dagny Ødegaard (@dagny.bsky.social, deactivated)",
  },
];

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

export function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** did:plc: + 24 base32 characters, stable per persona. */
export function personaDid(personaId: string): string {
  return `did:plc:${base32(createHash("sha256").update(`bluesky-sandbox:${personaId}`).digest()).slice(0, 24)}`;
}

export function seededAccounts(now: number): Account[] {
  const created = now - 400 * 24 * 3600_000;
  return SEEDS.map(({ dialogLabel: _label, status, ...seed }) => ({
    ...seed,
    did: personaDid(seed.personaId),
    status: status ?? "active",
    emailConfirmed: true,
    createdAt: created,
    appPasswords: seed.appPasswords.map((p) => ({ ...p, createdAt: created })),
  }));
}

export function dialogLabel(personaId: string): string {
  return SEEDS.find((s) => s.personaId === personaId)?.dialogLabel ?? personaId;
}
