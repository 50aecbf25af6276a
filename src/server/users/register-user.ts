import "server-only";
import { Prisma } from "@prisma/client";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { hashPassword } from "./password";
import { registerSchema } from "./schema";

export type PublicUser = { id: string; email: string; name: string | null };

export async function registerUser(prisma: Db, input: unknown): Promise<PublicUser> {
  const { email, password, name } = registerSchema.parse(input);
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
