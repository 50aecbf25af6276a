import { LONG_NAME, PEOPLE, type Person } from "../oauth2/people";
import type { PersonaBase } from "../oauth2/types";

/** Google accounts and their YouTube channels; one account has no channel. */

export type Channel = {
  id: string;
  title: string;
  customUrl: string;
  description: string;
  publishedAt: string;
  country: string;
  views: number;
  hiddenSubscriberCount: boolean;
};

export type YouTubePersona = PersonaBase & {
  googleSub: string;
  email: string;
  givenName: string;
  familyName: string;
  locale: string;
  channel: Channel | null;
};

function account(p: Person, sub: string, channel: Channel | null, stats: PersonaBase["stats"]): YouTubePersona {
  return {
    id: p.id,
    name: p.name,
    handle: channel?.customUrl,
    dialogLabel: `${p.name} (${p.email})`,
    externalId: channel?.id ?? sub,
    stats,
    hasAvatar: true,
    googleSub: sub,
    email: p.email,
    givenName: p.givenName,
    familyName: p.familyName,
    locale: p.locale.language,
    channel,
  };
}

const ingrid: Person = {
  id: "ingrid",
  name: "Ingrid Øverås",
  givenName: "Ingrid",
  familyName: "Øverås",
  email: "ingrid.overas@example.org",
  locale: { language: "nb", country: "NO" },
};

export const YOUTUBE_PERSONAS: YouTubePersona[] = [
  account(
    PEOPLE.zoe,
    "108234567890123456789",
    { id: "UCz0eAngStr0mSandbox0001", title: "Zoë Ångström", customUrl: "@zoeangstrom", description: "Fjällvandring i 4K.", publishedAt: "2014-03-09T12:00:00Z", country: "SE", views: 48_213, hiddenSubscriberCount: false },
    { followers: 312, posts: 87 },
  ),
  account(
    PEOPLE.lukasz,
    "117654321098765432101",
    { id: "UCLukaszZolcSandbox00002", title: "Łukasz Żółć", customUrl: "@lukaszzolc", description: "", publishedAt: "2011-07-21T18:04:05.123Z", country: "PL", views: 912_004_117, hiddenSubscriberCount: true },
    { followers: 48_213_907, posts: 1_204 },
  ),
  account(
    PEOPLE.li,
    "101112131415161718192",
    { id: "UCLiXiaolongSandbox00003", title: "李小龙", customUrl: "@lixiaolong", description: "截拳道", publishedAt: "2016-11-27T08:30:00Z", country: "HK", views: 7_654_321, hiddenSubscriberCount: false },
    { followers: 123_456, posts: 64 },
  ),
  account(
    PEOPLE.ana,
    "109876543210987654321",
    { id: "UC_x5XG1OV2P6uZZ5FSM9Ttw", title: LONG_NAME, customUrl: "@anasolo", description: "📸 ✈️ ☕", publishedAt: "2012-01-15T08:00:00Z", country: "BR", views: 9_876_543_210_123, hiddenSubscriberCount: false },
    { followers: 187_654_321, posts: 12_877 },
  ),
  account(ingrid, "112233445566778899001", null, {}),
];
