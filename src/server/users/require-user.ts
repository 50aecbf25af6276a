import "server-only";
import { redirect } from "next/navigation";
import { auth } from "@/auth";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import type { SessionUser } from "./verify-credentials";

/** Pages: the signed-in user, or a redirect to sign-in. The proxy is only a coarse gate. */
export async function requireUserPage(callbackUrl: string): Promise<{ id: string; email: string; role: SessionUser["role"] }> {
  const session = await auth();
  if (!session?.user?.id) redirect(`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  return { id: session.user.id, email: session.user.email ?? "", role: session.user.role };
}

/** Route handlers: the signed-in user's id, or UNAUTHORIZED. */
export async function requireUserId(): Promise<string> {
  const session = await auth();
  if (!session?.user?.id) {
    throw new AppError({ code: "UNAUTHORIZED", message: "Sign in first.", hint: "Your session may have expired." });
  }
  return session.user.id;
}

/** Ops routes: the role is read from the database, not the session token, so a demotion applies at once. */
export async function requireOpsUserId(): Promise<string> {
  const userId = await requireUserId();
  const user = await db().user.findUnique({ where: { id: userId }, select: { role: true } });
  if (!user || user.role === "USER") {
    throw new AppError({ code: "FORBIDDEN", message: "This area is for the operations team.", hint: "Ask an admin for the OPS role." });
  }
  return userId;
}
