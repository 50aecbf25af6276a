import { ZodError } from "zod";
import { env } from "../src/env";
import { parseKeyRing } from "../src/server/crypto";
import { createAppClient } from "../src/server/db/vault";
import { withScriptDatabase } from "../src/server/db/script-database";
import { AppError, fromZodError } from "../src/server/errors";
import { setUserRole } from "../src/server/users/set-user-role";

const [email, role] = process.argv.slice(2);
if (!email || !role) {
  console.error("Usage: npm run user:role -- EMAIL USER|OPS|ADMIN");
  process.exit(2);
}
try {
  const result = await withScriptDatabase(async (url) => {
    const prisma = createAppClient(url, parseKeyRing(env().encryptionKeys), { max: 1 });
    try {
      return await setUserRole(prisma, { email, role });
    } finally {
      await prisma.$disconnect();
    }
  });
  console.log(`${result.email} is now ${result.role}. The Ops area opens to them on their next page load.`);
} catch (error) {
  const appError = error instanceof ZodError ? fromZodError(error) : error;
  if (appError instanceof AppError) {
    console.error(`${appError.message}${appError.hint ? ` ${appError.hint}` : ""}`);
    process.exit(1);
  }
  throw error;
}
