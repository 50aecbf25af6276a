import { biz, ig, page } from "./persona-ids";
import { creatorPages, publisherPages } from "./page-personas";
import type { AppRole, PersonaOverride, PersonaSummary } from "./types";

/**
 * Built-in Facebook users. Big personas are described by index ranges, never materialised:
 * an ad account is computed from (persona, index) on demand (see ad-account-data.ts).
 */

/** Half-open index range [start, end). */
export type Range = readonly [number, number];

export type BusinessSpec = {
  id: string;
  name: string;
  verificationStatus: "verified" | "not_verified" | "pending_submission";
  owned: Range[];
  client: Range[];
  /** Pages the business owns / manages for clients (`/{business}/owned_pages`, `/client_pages`). */
  ownedPages?: string[];
  clientPages?: string[];
};

export type PageSpec = {
  id: string;
  name: string;
  category: string;
  categoryId: string;
  tasks: string[];
  instagram?: { id: string; username: string; name: string; followers: number; media: number };
  /** False: the dialog shows this Page unticked (the user must opt it in). Default true. */
  grantedByDefault?: boolean;
  /** The user's task on this Page comes only through a business: never in /me/accounts. */
  businessOnly?: boolean;
};

export type Persona = {
  id: string;
  /** Digit embedded in every id this persona owns, so an id tells whose it is. */
  index: number;
  name: string;
  firstName: string;
  lastName: string;
  email?: string;
  appRole?: AppRole;
  /** Distinct ad accounts the user can reach through any edge. */
  accountCount: number;
  /** Index ranges listed (in this order) by /me/adaccounts. */
  meAccounts: Range[];
  businesses: BusinessSpec[];
  pages: PageSpec[];
  /** Which business (if any) owns account i; outside businesses own client accounts. */
  ownerOf: (i: number) => { id: string; name: string; relation: "owned" | "client" } | null;
  statusOf: (i: number) => { status: number; reason: number };
};

const clientBiz = (p: number, n: number) => `49${p}${String(n).padStart(10, "0")}`;

export function adAccountNumber(personaIndex: number, i: number): string {
  return `12${personaIndex}${String(i).padStart(10, "0")}`;
}

const active = () => ({ status: 1, reason: 0 });

/** A realistic sprinkle of non-active accounts for the big personas. */
function mixedStatus(i: number): { status: number; reason: number } {
  if (i % 97 === 5) return { status: 2, reason: [1, 3, 9, 15][i % 4] ?? 1 };
  if (i % 131 === 7) return { status: 3, reason: 0 };
  if (i % 211 === 11) return { status: 9, reason: 0 };
  if (i % 307 === 13) return { status: 101, reason: 0 };
  return { status: 1, reason: 0 };
}

function inRanges(i: number, ranges: Range[]): boolean {
  return ranges.some(([s, e]) => i >= s && i < e);
}

function agency(): Persona {
  const p = 2;
  const b1: BusinessSpec = { id: biz(p, 1), name: "Northwind Media", verificationStatus: "verified", owned: [[1, 401]], client: [[901, 1051]] };
  const b2: BusinessSpec = { id: biz(p, 2), name: "Bluebird Partners", verificationStatus: "verified", owned: [[401, 701]], client: [[1051, 1151]] };
  // Crescent also manages 20 of Northwind's accounts as a client: the same act_ id on two edges.
  const b3: BusinessSpec = { id: biz(p, 3), name: "Crescent Retail Group", verificationStatus: "not_verified", owned: [[701, 901]], client: [[1151, 1200], [381, 401]] };
  const owners = [b1, b2, b3];
  return {
    id: "agency",
    index: p,
    name: "Avery Agency",
    firstName: "Avery",
    lastName: "Agency",
    email: "avery.agency@example.test",
    appRole: "developer",
    accountCount: 1200,
    meAccounts: [[0, 1], [1, 201], [1051, 1101]],
    businesses: owners,
    pages: [],
    ownerOf: (i) => {
      if (i === 0) return null;
      const owner = owners.find((b) => inRanges(i, b.owned));
      if (owner) return { id: owner.id, name: owner.name, relation: "owned" };
      const k = Math.floor((i - 901) / 10) + 1;
      return { id: clientBiz(p, k), name: `Client Brand ${k}`, relation: "client" };
    },
    statusOf: (i) => (i === 0 ? active() : mixedStatus(i)),
  };
}

function scale(): Persona {
  const p = 6;
  const b: BusinessSpec = { id: biz(p, 1), name: "Scale Holdings", verificationStatus: "verified", owned: [[0, 5000]], client: [] };
  return {
    id: "scale",
    index: p,
    name: "Sky Scale",
    firstName: "Sky",
    lastName: "Scale",
    email: "sky.scale@example.test",
    appRole: "tester",
    accountCount: 5000,
    meAccounts: [[0, 5000]],
    businesses: [b],
    pages: [],
    ownerOf: () => ({ id: b.id, name: b.name, relation: "owned" }),
    statusOf: mixedStatus,
  };
}

function small(o: {
  id: string;
  index: number;
  first: string;
  last: string;
  role?: AppRole;
  accounts: number;
  status?: { status: number; reason: number };
  /** `ownsPages`: the business owns the persona's Pages, but for `clientPages` (which it manages for clients). */
  business?: { name: string; verificationStatus?: BusinessSpec["verificationStatus"]; ownsPages?: boolean; clientPages?: string[] };
  pages?: PageSpec[];
}): Persona {
  const b = o.business ? { id: biz(o.index, 1), name: o.business.name } : null;
  const pageIds = o.business?.ownsPages ? (o.pages ?? []).map((p) => p.id) : [];
  const clientPages = o.business?.clientPages ?? [];
  const businesses: BusinessSpec[] = b
    ? [
        {
          ...b,
          verificationStatus: o.business?.verificationStatus ?? "pending_submission",
          owned: [[0, o.accounts]],
          client: [],
          ...(o.business?.ownsPages ? { ownedPages: pageIds.filter((id) => !clientPages.includes(id)), clientPages } : {}),
        },
      ]
    : [];
  return {
    id: o.id,
    index: o.index,
    name: `${o.first} ${o.last}`,
    firstName: o.first,
    lastName: o.last,
    email: `${o.first}.${o.last}@example.test`.toLowerCase(),
    appRole: o.role,
    accountCount: o.accounts,
    meAccounts: o.accounts > 0 ? [[0, o.accounts]] : [],
    businesses,
    pages: o.pages ?? [],
    ownerOf: () => (b ? { ...b, relation: "owned" } : null),
    statusOf: () => o.status ?? active(),
  };
}

export function builtInPersonas(overrides: PersonaOverride[] = []): Persona[] {
  const list: Persona[] = [
    small({ id: "solo", index: 1, first: "Sam", last: "Solo", role: "administrator", accounts: 1 }),
    agency(),
    small({ id: "disabled", index: 3, first: "Dana", last: "Disabled", role: "tester", accounts: 1, status: { status: 2, reason: 3 } }),
    small({
      id: "pages",
      index: 4,
      first: "Pat",
      last: "Pages",
      role: "developer",
      accounts: 1,
      business: { name: "Pat's Shops LLC" },
      pages: [
        {
          id: page(4, 1),
          name: "Pat's Bakery",
          category: "Bakery",
          categoryId: "197048876974495",
          tasks: ["ADVERTISE", "ANALYZE", "CREATE_CONTENT", "MESSAGING", "MODERATE", "MANAGE"],
          instagram: { id: ig(4, 1), username: "patsbakery", name: "Pat's Bakery", followers: 1200, media: 87 },
        },
        {
          id: page(4, 2),
          name: "Pat's Bike Repair",
          category: "Bicycle Repair Shop",
          categoryId: "180410821995109",
          tasks: ["ADVERTISE", "ANALYZE", "CREATE_CONTENT", "MODERATE"],
        },
      ],
    }),
    small({ id: "empty", index: 5, first: "Eve", last: "Empty", role: "tester", accounts: 0 }),
    scale(),
    small({ id: "outsider", index: 7, first: "Olivia", last: "Outsider", accounts: 1 }),
    small({
      id: "publisher",
      index: 8,
      first: "Parker",
      last: "Publisher",
      role: "developer",
      accounts: 1,
      business: { name: "Harbor Goods Co.", verificationStatus: "verified", ownsPages: true, clientPages: [page(8, 5)] },
      pages: publisherPages(8),
    }),
    small({
      id: "creator",
      index: 9,
      first: "Casey",
      last: "Creator",
      role: "developer",
      accounts: 1,
      business: { name: "Casey Creative Co.", verificationStatus: "not_verified", ownsPages: true },
      pages: creatorPages(9),
    }),
  ];
  for (const o of overrides) {
    const found = list.find((p) => p.id === o.id);
    if (!found) continue;
    if (o.name) {
      found.name = o.name;
      [found.firstName, found.lastName] = [o.name.split(" ")[0] ?? o.name, o.name.split(" ").slice(1).join(" ")];
    }
    if (o.email !== undefined) found.email = o.email;
    if (o.appRole !== undefined) found.appRole = o.appRole ?? undefined;
  }
  return list;
}

export function dialogLabel(p: Persona): string {
  const n = p.accountCount;
  const parts = [`${n.toLocaleString("en-US")} ad account${n === 1 ? "" : "s"}`];
  if (p.pages.length > 0) parts.push(`${p.pages.length} Page${p.pages.length === 1 ? "" : "s"}`);
  if (p.accountCount > 0 && p.accountCount === countDisabled(p)) parts.push("disabled");
  if (!p.appRole) parts.push("no app role");
  return `${p.name} (${parts.join(", ")})`;
}

function countDisabled(p: Persona): number {
  if (p.accountCount > 10) return 0;
  let d = 0;
  for (let i = 0; i < p.accountCount; i++) if (p.statusOf(i).status === 2) d++;
  return d;
}

export function summarize(p: Persona): PersonaSummary {
  return {
    id: p.id,
    name: p.name,
    email: p.email,
    appRole: p.appRole,
    adAccountCount: p.accountCount,
    businessCount: p.businesses.length,
    pageCount: p.pages.length,
    pages: p.pages.map((pg) => ({
      id: pg.id,
      name: pg.name,
      tasks: [...pg.tasks],
      instagram: pg.instagram ? { id: pg.instagram.id, username: pg.instagram.username } : null,
      grantedByDefault: pg.grantedByDefault !== false,
      businessOnly: pg.businessOnly === true,
    })),
    dialogLabel: dialogLabel(p),
  };
}

/** Indices of every account a persona can reach, in /me/adaccounts-first order (deduplicated). */
export function hasAccountIndex(p: Persona, i: number): boolean {
  return Number.isInteger(i) && i >= 0 && i < p.accountCount;
}

export function parseAdAccountNumber(num: string): { personaIndex: number; i: number } | null {
  const m = /^12(\d)(\d{10})$/.exec(num);
  if (!m) return null;
  return { personaIndex: Number(m[1]), i: Number(m[2]) };
}

export function rangesLength(ranges: Range[]): number {
  return ranges.reduce((n, [s, e]) => n + (e - s), 0);
}

/** The index at position `pos` of the concatenated ranges (lazy list access). */
export function rangesAt(ranges: Range[], pos: number): number | undefined {
  let offset = pos;
  for (const [s, e] of ranges) {
    if (offset < e - s) return s + offset;
    offset -= e - s;
  }
  return undefined;
}
