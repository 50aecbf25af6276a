import "server-only";
import type { Prisma } from "@prisma/client";
import { getOwnedConnectionOrThrow } from "@/server/connections/get-owned-connection-or-throw";
import { AD_ACCOUNT_VIEW_SELECT, toAdAccountView, type AdAccountView } from "@/server/ad-accounts/views";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { adAccountCursor, listAdAccountsQuery, type AdAccountCursor, type ListAdAccountsQuery } from "./schema";

/**
 * One page of the user's ad accounts, searched and paged in the database (an agency has
 * thousands). Order: business name A→Z with personal accounts (no business) LAST — the UI groups
 * by business and shows "Personal" at the end — then name, then `act_` id, then row id (unique).
 * The cursor is that sort key of the page's last row, base64url JSON (keyset paging: stable
 * under inserts, no OFFSET scans).
 */
export type AdAccountPage = { data: AdAccountView[]; nextCursor: string | null };

const ORDER: Prisma.MetaAdAccountOrderByWithRelationInput[] = [
  { businessName: { sort: "asc", nulls: "last" } },
  { name: "asc" },
  { adAccountId: "asc" },
  { id: "asc" },
];

function encodeCursor(c: AdAccountCursor): string {
  return Buffer.from(JSON.stringify(c)).toString("base64url");
}

function decodeCursor(raw: string): AdAccountCursor {
  try {
    return adAccountCursor.parse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
  } catch {
    throw new AppError({ code: "VALIDATION_ERROR", message: "cursor: not a valid cursor.", hint: "Start again from the first page.", field: "cursor" });
  }
}

/** Rows strictly after the cursor in ORDER. */
function after(c: AdAccountCursor): Prisma.MetaAdAccountWhereInput {
  const withinName: Prisma.MetaAdAccountWhereInput[] = [
    { name: { gt: c.n } },
    { name: c.n, adAccountId: { gt: c.a } },
    { name: c.n, adAccountId: c.a, id: { gt: c.i } },
  ];
  if (c.b === null) return { businessName: null, OR: withinName };
  return { OR: [{ businessName: { gt: c.b } }, { businessName: null }, { businessName: c.b, OR: withinName }] };
}

function search(q: string): Prisma.MetaAdAccountWhereInput {
  const byName: Prisma.MetaAdAccountWhereInput = { name: { contains: q, mode: "insensitive" } };
  const digits = /^(?:act_)?(\d+)$/i.exec(q)?.[1];
  return digits ? { OR: [byName, { accountId: { contains: digits } }] } : byName;
}

export async function listAdAccounts(db: Db, userId: string, rawQuery: ListAdAccountsQuery = {}): Promise<AdAccountPage> {
  const query = listAdAccountsQuery.parse(rawQuery);
  if (query.connectionId) await getOwnedConnectionOrThrow(db, userId, query.connectionId);
  const where: Prisma.MetaAdAccountWhereInput = {
    AND: [
      { userId },
      query.connectionId ? { connectionId: query.connectionId } : {},
      query.q ? search(query.q) : {},
      query.cursor ? after(decodeCursor(query.cursor)) : {},
    ],
  };
  const rows = await db.metaAdAccount.findMany({ where, orderBy: ORDER, take: query.limit + 1, select: AD_ACCOUNT_VIEW_SELECT });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > query.limit && last ? encodeCursor({ b: last.businessName, n: last.name, a: last.adAccountId, i: last.id }) : null;
  return { data: page.map(toAdAccountView), nextCursor };
}
