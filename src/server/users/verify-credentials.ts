import "server-only";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { clearFailedSignIns, recordFailedSignIn, secondsUntilAllowed } from "./login-throttle";
import { dummyPasswordHash, verifyPassword } from "./password";
import { signInSchema } from "./schema";

export type SessionUser = { id: string; email: string; name: string | null; role: "USER" | "OPS" | "ADMIN" };

/**
 * The credentials check behind sign-in. Returns null for a wrong email and a wrong password alike
 * (same message, same cost); throws RATE_LIMITED while the email is blocked.
 */
export async function verifyCredentials(prisma: Db, input: unknown): Promise<SessionUser | null> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;

  const wait = await secondsUntilAllowed(prisma, email);
  if (wait > 0) {
    throw new AppError({
      code: "RATE_LIMITED",
      message: "Too many failed sign-in attempts.",
      hint: `Try again in ${Math.ceil(wait / 60)} minute(s).`,
      retryAfterSeconds: wait,
    });
  }
  const user = await prisma.user.findUnique({ where: { email } });
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!user || !user.passwordHash || !ok) {
    await recordFailedSignIn(prisma, email);
    return null;
  }
  await clearFailedSignIns(prisma, email);
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
