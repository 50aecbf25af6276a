import { PEOPLE, type Person } from "../oauth2/people";
import type { PersonaBase } from "../oauth2/types";

/** Threads profiles: 17-digit ids (above 2^53), handles, long Unicode names, large follower counts. */

export type ThreadsPersona = PersonaBase & { handle: string; biography: string; views: number; likes: number };

function profile(p: Person, o: Omit<ThreadsPersona, "id" | "name" | "dialogLabel" | "hasAvatar">): ThreadsPersona {
  return { id: p.id, name: p.name, dialogLabel: `${p.name} (@${o.handle})`, hasAvatar: true, ...o };
}

export const THREADS_PERSONAS: ThreadsPersona[] = [
  profile(PEOPLE.zoe, { handle: "zoe.angstrom", externalId: "25025320703821564", stats: { followers: 312 }, biography: "Fjäll & fika", views: 4_021, likes: 388 }),
  profile(PEOPLE.lukasz, { handle: "lukasz_zolc", externalId: "17841400008460056", stats: { followers: 1_204_556 }, biography: "Kraków ☕", views: 9_120_004, likes: 402_118 }),
  profile(PEOPLE.li, { handle: "li.xiaolong", externalId: "26114238890076523", stats: { followers: 48_213 }, biography: "水无常形", views: 120_440, likes: 9_876 }),
  profile(PEOPLE.ana, { handle: "ana_solo", externalId: "90071992547409931", stats: { followers: 187_654_321 }, biography: "📸 ✈️ ☕", views: 9_876_543_210, likes: 88_120_330 }),
];
