import { LONG_NAME, PEOPLE, type Person } from "../oauth2/people";
import type { PersonaBase } from "../oauth2/types";

/**
 * Pinterest accounts. Personal accounts (PINNER) have no display name apart from the username;
 * business accounts carry `business_name`. Ids are numeric strings.
 */

export type PinterestPersona = PersonaBase & {
  handle: string;
  accountType: "PINNER" | "BUSINESS";
  businessName: string | null;
  about: string;
  websiteUrl: string;
  boards: number;
  monthlyViews: number;
};

function account(p: Person, o: Omit<PinterestPersona, "id" | "name" | "dialogLabel" | "hasAvatar">): PinterestPersona {
  const kind = o.accountType === "BUSINESS" ? "business" : "personal";
  return { id: p.id, name: o.businessName ?? o.handle, dialogLabel: `${p.name} (@${o.handle}, ${kind})`, hasAvatar: true, ...o };
}

export const PINTEREST_PERSONAS: PinterestPersona[] = [
  account(PEOPLE.zoe, {
    handle: "zoeangstrom",
    externalId: "549755885175",
    accountType: "PINNER",
    businessName: null,
    about: "Skandinavisk design och fjällstugor",
    websiteUrl: "",
    stats: { followers: 312, following: 180, posts: 1_204 },
    boards: 9,
    monthlyViews: 1_630,
  }),
  account(PEOPLE.lukasz, {
    handle: "lukaszzolcstudio",
    externalId: "1125899906842624",
    accountType: "BUSINESS",
    businessName: "Łukasz Żółć Studio",
    about: "Ceramika z Krakowa",
    websiteUrl: "https://example.org/zolc",
    stats: { followers: 48_213, following: 12, posts: 9_870 },
    boards: 41,
    monthlyViews: 2_400_000,
  }),
  account(PEOPLE.li, {
    handle: "lixiaolong",
    externalId: "874683562195",
    accountType: "PINNER",
    businessName: null,
    about: "功夫 · 电影",
    websiteUrl: "",
    stats: { followers: 0, following: 3, posts: 17 },
    boards: 1,
    monthlyViews: -1,
  }),
  account(PEOPLE.ana, {
    handle: "ana_solo",
    externalId: "9007199254740993",
    accountType: "BUSINESS",
    businessName: LONG_NAME,
    about: "📸 ✈️ ☕",
    websiteUrl: "https://example.org/ana",
    stats: { followers: 3_000_000_017, following: 1_002, posts: 1_204_556 },
    boards: 402,
    monthlyViews: 98_765_432_101,
  }),
];
