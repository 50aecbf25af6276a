import { PEOPLE } from "../oauth2/people";
import type { PersonaBase } from "../oauth2/types";

/** X users: 19-digit snowflake ids (strings), non-ASCII and ~200-character names, large counts. */

export type XPersona = PersonaBase & {
  handle: string;
  createdAt: string;
  description: string;
  verified: boolean;
  metrics: { listed: number; likes: number; media: number };
};

function persona(p: { id: string; name: string }, o: Omit<XPersona, "id" | "name" | "dialogLabel" | "hasAvatar">): XPersona {
  return { id: p.id, name: p.name, dialogLabel: `${p.name} (@${o.handle})`, hasAvatar: true, ...o };
}

export const X_PERSONAS: XPersona[] = [
  persona(PEOPLE.zoe, {
    handle: "zoe_angstrom",
    externalId: "1587293485723649024",
    stats: { followers: 48_213, following: 512, posts: 3_561 },
    metrics: { listed: 87, likes: 12_044, media: 402 },
    createdAt: "2022-11-01T09:12:44.000Z",
    description: "Fjällvandring och fotografi 🏔️",
    verified: false,
  }),
  persona(PEOPLE.lukasz, {
    handle: "lukasz_zolc",
    externalId: "1234567890123456789",
    stats: { followers: 12_400_917, following: 1_863, posts: 88_410 },
    metrics: { listed: 15_502, likes: 391_044, media: 12_877 },
    createdAt: "2009-06-02T20:12:29.000Z",
    description: "Gęślą jaźń · Kraków",
    verified: true,
  }),
  persona(PEOPLE.li, {
    handle: "li_xiaolong",
    externalId: "9007199254740993123",
    stats: { followers: 507_902, following: 44, posts: 9_870 },
    metrics: { listed: 1_550, likes: 3_952, media: 1_234 },
    createdAt: "2014-03-09T12:00:00.000Z",
    description: "以无法为有法，以无限为有限",
    verified: false,
  }),
  persona(PEOPLE.ana, {
    handle: "ana_solo",
    externalId: "2244994945000000001",
    stats: { followers: 187_654_321, following: 0, posts: 1_204_556 },
    metrics: { listed: 120_004, likes: 88_120_330, media: 402_118 },
    createdAt: "2012-01-15T08:00:00.000Z",
    description: "📸 ✈️ ☕",
    verified: true,
  }),
];
