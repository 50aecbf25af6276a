import { createHash } from "node:crypto";
import type { Prisma } from "@prisma/client";
import type { DbTx } from "@/server/audit/record-audit-event";
import type { Db } from "@/server/db";

/**
 * Runs a verified Meta callback at most once per signed_request. The receipt (a hash of the
 * signed_request, never the request itself) is claimed in the same transaction as the work, so a
 * failed run leaves no receipt and Meta's retry is processed; a repeat of a processed one gets the
 * first answer back and changes nothing. Receipts are kept until the request would be refused as
 * too old anyway, and expired ones are cleared on the way.
 */
export async function runCallbackOnce<T extends Prisma.InputJsonValue>(
  db: Db,
  o: { signedRequest: string; kind: string; now: Date; expiresAt: Date },
  work: (tx: DbTx) => Promise<T>,
): Promise<T> {
  const signatureHash = createHash("sha256").update(o.signedRequest).digest("hex");
  return db.$transaction(
    async (tx) => {
      await tx.metaCallbackReceipt.deleteMany({ where: { expiresAt: { lt: o.now } } });
      const claimed = await tx.metaCallbackReceipt.createMany({
        data: [{ signatureHash, kind: o.kind, receivedAt: o.now, expiresAt: o.expiresAt }],
        skipDuplicates: true,
      });
      if (claimed.count === 0) {
        const first = await tx.metaCallbackReceipt.findUniqueOrThrow({ where: { signatureHash }, select: { response: true } });
        return first.response as T;
      }
      const result = await work(tx);
      await tx.metaCallbackReceipt.update({ where: { signatureHash }, data: { response: result }, select: { signatureHash: true } });
      return result;
    },
    // Deleting a large account's data on the embedded database can take a while.
    { timeout: 60_000, maxWait: 10_000 },
  );
}
