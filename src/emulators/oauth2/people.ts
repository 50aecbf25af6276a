/**
 * The people behind the personas of every OAuth sandbox: the same ids on every platform, so a test
 * or a "Quick connect" can link "zoe" everywhere. Names are deliberately not ASCII.
 */

export type Person = { id: string; name: string; givenName: string; familyName: string; email: string; locale: { language: string; country: string } };

/** ~200 characters of mixed scripts and emoji: the longest display name platforms let through. */
export const LONG_NAME =
  "Ana Sólo Pereira 🌍✨ Fotografía de viajes, cafés y montañas — Lisboa ↔ São Paulo ↔ Kraków · 写真と物語 · 🇵🇹🇧🇷🇵🇱 Creadora independiente desde 2014 · Newsletter semanal 📬 · Talleres, charlas y colaboraciones abiertas";

export const PEOPLE = {
  zoe: { id: "zoe", name: "Zoë Ångström", givenName: "Zoë", familyName: "Ångström", email: "zoe.angstrom@example.org", locale: { language: "sv", country: "SE" } },
  lukasz: { id: "lukasz", name: "Łukasz Żółć", givenName: "Łukasz", familyName: "Żółć", email: "lukasz.zolc@example.org", locale: { language: "pl", country: "PL" } },
  li: { id: "li", name: "李小龙", givenName: "小龙", familyName: "李", email: "li.xiaolong@example.org", locale: { language: "zh", country: "CN" } },
  ana: { id: "ana", name: LONG_NAME, givenName: "Ana", familyName: "Sólo Pereira", email: "ana.solo@example.org", locale: { language: "pt", country: "BR" } },
} satisfies Record<string, Person>;
