import "server-only";
import { redirect } from "next/navigation";
import { db } from "@/server/db";
import { requireUserPage } from "@/server/users/require-user";

/** Ops pages: signed in (else sign-in page) with OPS or ADMIN read from the database (else the dashboard). */
export async function requireOpsPage(callbackUrl: string): Promise<{ id: string; email: string }> {
  const user = await requireUserPage(callbackUrl);
  const row = await db().user.findUnique({ where: { id: user.id }, select: { role: true } });
  if (!row || row.role === "USER") redirect("/dashboard?error=forbidden");
  return { id: user.id, email: user.email };
}
