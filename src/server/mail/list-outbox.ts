import "server-only";
import { z } from "zod";
import type { Db } from "@/server/db";
import { countMailMessages } from "./list-mail-messages";

/**
 * What /dev/mail shows: the outbox newest first (50), the chosen entry (default: the newest) with
 * its parts and links, and the last day's counts per status.
 */
const linksSchema = z.record(z.string(), z.string()).catch({});
// Entry ids are cuids: anything else (a typo, a NUL byte) finds nothing without asking the database.
const ENTRY_ID = /^[a-z0-9]{1,40}$/;

export async function readOutbox(db: Db, o: { id?: string; now: Date }) {
  const entries = await db.mailOutboxEntry.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 50,
    select: { id: true, toAddress: true, subject: true, createdAt: true },
  });
  const wanted = o.id ?? entries[0]?.id;
  const entry = wanted && ENTRY_ID.test(wanted)
    ? await db.mailOutboxEntry.findUnique({
        where: { id: wanted },
        select: { id: true, fromAddress: true, toAddress: true, subject: true, html: true, text: true, links: true, createdAt: true },
      })
    : null;
  const counts = await countMailMessages(db, { since: new Date(o.now.getTime() - 86_400_000) });
  return { entries, selected: entry ? { ...entry, links: Object.entries(linksSchema.parse(entry.links)) } : null, counts };
}
