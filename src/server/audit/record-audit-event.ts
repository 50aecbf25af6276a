import "server-only";
import { z } from "zod";
import type { Db } from "@/server/db";

/**
 * The audit log: who did what to which connection, with a small JSON detail. Written inside the
 * same transaction as the change it describes, so history and state never disagree.
 * A detail can never carry a token: secret-looking keys and values are refused (a bug, not data).
 */
export const AUDIT_ACTIONS = [
  "linked",
  "relinked",
  "disconnected",
  "selected",
  "token_expired",
  "revoked",
  "relink_requested",
  "deauthorized",
  "data_deleted",
  "refresh_failed",
  "refreshed",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** A client or an interactive transaction of it (the audit row joins the caller's transaction). */
export type DbTx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

const SECRET_KEY = /token|secret|password|proof|cookie|authorization|signed_request/i;
// Meta user tokens start with EAA; vault envelopes with "vault:"; anything long and opaque is suspect.
const SECRET_VALUE = /^(EAA|vault:)|[A-Za-z0-9_\-|]{60,}/;

const scalar = z.union([z.string().max(300), z.number(), z.boolean(), z.null()]);
const detailSchema = z
  .record(z.string().max(64), z.union([scalar, z.array(scalar).max(50)]))
  .refine((d) => Object.keys(d).length <= 20, "too many keys")
  .refine((d) => !Object.keys(d).some((k) => SECRET_KEY.test(k)), "a detail key names a secret")
  .refine(
    (d) => !Object.values(d).flat().some((v) => typeof v === "string" && SECRET_VALUE.test(v)),
    "a detail value looks like a token",
  );
export type AuditDetail = z.infer<typeof detailSchema>;

const inputSchema = z.object({
  actorId: z.string().nullable(),
  userId: z.string().nullable(),
  action: z.enum(AUDIT_ACTIONS),
  connectionId: z.string().nullish(),
  detail: detailSchema.optional(),
});

export async function recordAuditEvent(
  tx: DbTx,
  input: { actorId: string | null; userId: string | null; action: AuditAction; connectionId?: string | null; detail?: AuditDetail },
): Promise<void> {
  const parsed = inputSchema.parse(input);
  await tx.auditEvent.create({
    data: {
      actorId: parsed.actorId,
      userId: parsed.userId,
      action: parsed.action,
      connectionId: parsed.connectionId ?? null,
      detail: parsed.detail ?? undefined,
    },
    select: { id: true },
  });
}
