import "server-only";
import { z } from "zod";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { emailSchema, ROLES } from "./schema";

const inputSchema = z.object({ email: emailSchema, role: z.enum(ROLES, { error: `must be one of ${ROLES.join(", ")}` }) });

export async function setUserRole(prisma: Db, input: { email: string; role: string }) {
  const { email, role } = inputSchema.parse({ email: input.email, role: input.role.toUpperCase() });
  const updated = await prisma.user.updateMany({ where: { email }, data: { role } });
  if (updated.count === 0) {
    throw new AppError({ code: "NOT_FOUND", message: `No user with email ${email}.`, hint: "They must create an account first." });
  }
  return { email, role };
}
