import { PEOPLE, type Person } from "../oauth2/people";
import type { PersonaBase } from "../oauth2/types";

/** LinkedIn members: app-scoped `sub`, no handle, follower count only (Community Management API). */

export type LinkedInPersona = PersonaBase & { givenName: string; familyName: string; email: string; locale: { language: string; country: string } };

function member(p: Person, sub: string, followers: number, hasAvatar = true): LinkedInPersona {
  return {
    id: p.id,
    name: p.name,
    givenName: p.givenName,
    familyName: p.familyName,
    email: p.email,
    locale: p.locale,
    dialogLabel: `${p.name} (${p.email})`,
    externalId: sub,
    stats: { followers },
    hasAvatar,
  };
}

export const LINKEDIN_PERSONAS: LinkedInPersona[] = [
  member(PEOPLE.zoe, "Zo3AngStr7q", 1_204),
  // A member without a profile photo: userinfo omits `picture`.
  member(PEOPLE.lukasz, "Lk9zOlcW2x", 31_877, false),
  member(PEOPLE.li, "Li5xLng0Qa", 503),
  member(PEOPLE.ana, "782bbtaQ", 2_417_090),
];
