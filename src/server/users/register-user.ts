import { Prisma } from "@prisma/client";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { REGISTER_PER_IP, reserveAttemptOrThrow } from "./login-throttle";
import { hashPassword } from "./password";
import { registerSchema } from "./schema";

export type PublicUser = { id: string; email: string; name: string | null };

/**
 * Creates an account. With `clientIp`, the registration is first reserved against the address's
 * allowance (argon2 is deliberately expensive: unthrottled, registering is a CPU denial of service).
 */
export async function registerUser(prisma: Db, input: unknown, o: { clientIp?: string } = {}): Promise<PublicUser> {
  const { email, password, name } = registerSchema.parse(input);
  if (o.clientIp !== undefined) {
    await reserveAttemptOrThrow(prisma, REGISTER_PER_IP, o.clientIp, "Too many new accounts from your network.");
  }
  const passwordHash = await hashPassword(password);
  try {
    return await prisma.user.create({
      data: { email, passwordHash, name },
      select: { id: true, email: true, name: true },
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError({
        code: "CONFLICT",
        message: "This email is already registered.",
        hint: "Sign in instead, or use another email.",
        field: "email",
      });
    }
    throw error;
  }
}
