import "server-only";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { AD_ACCOUNT_VIEW_SELECT, toAdAccountView, type AdAccountView } from "@/server/ad-accounts/views";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { selectAdAccountInput } from "./schema";

/**
 * Makes one of the user's ad accounts THE selected one. One transaction clears the previous choice
 * and sets the new one. Concurrent selects of one user are serialised by a row lock on the user
 * (otherwise two could each clear the other's choice and collide on the partial unique index that
 * keeps at most one selected row per user). Disabled accounts can be selected: the view carries the
 * status and the UI warns.
 */
const notFound = () =>
  new AppError({ code: "NOT_FOUND", message: "This ad account is not among your linked ad accounts.", hint: "Refresh from Meta, then try again." });

export async function selectAdAccount(db: Db, userId: string, input: { adAccountId: string; connectionId?: string }): Promise<AdAccountView> {
  const { adAccountId, connectionId } = selectAdAccountInput.parse(input);
  const row = await db.metaAdAccount.findFirst({
    where: { userId, adAccountId, ...(connectionId ? { connectionId } : {}) },
    // The same account seen through two Facebook identities: prefer the one already selected.
    orderBy: [{ isSelected: "desc" }, { createdAt: "asc" }],
    select: { id: true },
  });
  if (!row) throw notFound();

  return db.$transaction(async (tx) => {
    await tx.$queryRawUnsafe(`SELECT 1 FROM "users" WHERE "id" = $1 FOR UPDATE`, userId);
    await tx.metaAdAccount.updateMany({ where: { userId, isSelected: true, NOT: { id: row.id } }, data: { isSelected: false } });
    // A refresh may have removed the row since it was found.
    const set = await tx.metaAdAccount.updateMany({ where: { id: row.id, userId }, data: { isSelected: true } });
    if (set.count === 0) throw notFound();
    const selected = await tx.metaAdAccount.findUniqueOrThrow({ where: { id: row.id }, select: AD_ACCOUNT_VIEW_SELECT });
    await recordAuditEvent(tx, { actorId: userId, userId, action: "selected", connectionId: selected.connectionId, detail: { adAccountId } });
    return toAdAccountView(selected);
  });
}
