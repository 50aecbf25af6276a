import { env } from "@/env";
import type { Db } from "@/server/db";
import { clearAttempts, refundAttempt, reserveAttemptOrThrow, signInGlobal, SIGN_IN_PER_EMAIL, SIGN_IN_PER_IP } from "./login-throttle";
import { dummyPasswordHash, verifyPassword } from "./password";
import { signInSchema } from "./schema";

export type SessionUser = { id: string; email: string; name: string | null; role: "USER" | "OPS" | "ADMIN" };

const REFUSED = "Too many sign-in attempts.";

/**
 * The credentials check behind sign-in. Returns null for a wrong email and a wrong password alike
 * (same message, same cost); throws RATE_LIMITED when the email, the client's address or the
 * service as a whole has used up its attempts. Attempts are reserved before the password is hashed
 * (login-throttle.ts), narrowest first, so a refusal never spends the wider budgets' hashing.
 */
export async function verifyCredentials(prisma: Db, input: unknown, o: { clientIp?: string } = {}): Promise<SessionUser | null> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const ip = o.clientIp ?? "unknown";

  await reserveAttemptOrThrow(prisma, SIGN_IN_PER_EMAIL, email, REFUSED);
  await reserveAttemptOrThrow(prisma, SIGN_IN_PER_IP, ip, REFUSED);
  await reserveAttemptOrThrow(prisma, signInGlobal(env().signInMaxPerMinute), "all", REFUSED);

  const user = await prisma.user.findUnique({ where: { email } });
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!user || !user.passwordHash || !ok) return null;
  await clearAttempts(prisma, SIGN_IN_PER_EMAIL, email);
  await refundAttempt(prisma, SIGN_IN_PER_IP, ip);
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
