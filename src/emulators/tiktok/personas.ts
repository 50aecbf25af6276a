import { PEOPLE } from "../oauth2/people";
import type { PersonaBase } from "../oauth2/types";

/** TikTok users: UUID-style open_id / union_id, dotted usernames, free-Unicode display names. */

export type TikTokPersona = PersonaBase & { handle: string; unionId: string; bio: string; verified: boolean; likes: number };

function user(p: { id: string; name: string }, o: Omit<TikTokPersona, "id" | "name" | "dialogLabel" | "hasAvatar">): TikTokPersona {
  return { id: p.id, name: p.name, dialogLabel: `${p.name} (@${o.handle})`, hasAvatar: true, ...o };
}

export const TIKTOK_PERSONAS: TikTokPersona[] = [
  user(PEOPLE.zoe, {
    handle: "zoe.angstrom",
    externalId: "5f0c8a1e-3b7d-4c2a-9e61-0d4b2f7a9c13",
    unionId: "8b5c3e0e-71aa-4f2b-b0c4-2e9d6a1f4c77",
    stats: { followers: 312, following: 180, posts: 1_204 },
    likes: 48_213,
    bio: "Fjäll, film och fika ☕",
    verified: false,
  }),
  user(PEOPLE.lukasz, {
    handle: "lukasz.zolc",
    externalId: "a3e4b5c6-d7e8-4f90-a1b2-c3d4e5f6a7b8",
    unionId: "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
    stats: { followers: 2_480_331, following: 77, posts: 903 },
    likes: 88_402_113,
    bio: "Zażółć gęślą jaźń 🎻",
    verified: true,
  }),
  user(PEOPLE.li, {
    handle: "li.xiao.long",
    externalId: "d9c8b7a6-f5e4-4d3c-b2a1-0f9e8d7c6b5a",
    unionId: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
    stats: { followers: 59_004, following: 12, posts: 87 },
    likes: 1_302_550,
    bio: "截拳道 · 香港",
    verified: false,
  }),
  user(PEOPLE.ana, {
    handle: "ana.solo.pereira",
    externalId: "afd97af1-b87b-48b9-ac98-410aaeda5344",
    unionId: "7e6d5c4b-3a29-4187-a6b5-c4d3e2f1a0b9",
    stats: { followers: 95_000_412, following: 1_002, posts: 12_877 },
    likes: 3_000_000_017,
    bio: "📸 ✈️ ☕ · Lisboa ↔ São Paulo",
    verified: true,
  }),
];
