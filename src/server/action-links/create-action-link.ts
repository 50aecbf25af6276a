import "server-only";
import { randomBytes } from "node:crypto";
import { ZodError } from "zod";
import { env } from "@/env";
import type { Db } from "@/server/db";
import { fromZodError } from "@/server/errors";
import { signLink } from "./action-link-signature";
import { createLinkInput, type CreateLinkInput } from "./schema";

/**
 * A signed, single-use, expiring link token for one action on behalf of one user (or one email):
 * stores the row, returns `<id>.<signature>`. Put it in a URL of the page that handles the action
 * (`?link=<token>`); that page calls `consumeActionLink`. The token itself is never stored.
 */
export async function createActionLink(
  db: Db,
  input: CreateLinkInput,
  o: { now?: Date; secret?: string } = {},
): Promise<{ token: string; expiresAt: Date }> {
  let parsed;
  try {
    parsed = createLinkInput.parse(input);
  } catch (error) {
    throw error instanceof ZodError ? fromZodError(error) : error;
  }
  const now = o.now ?? new Date();
  const fields = {
    id: randomBytes(16).toString("base64url"),
    action: parsed.action,
    userId: "userId" in parsed.for ? parsed.for.userId : null,
    email: "email" in parsed.for ? parsed.for.email : null,
    target: parsed.target ?? null,
    // Whole milliseconds, as the database keeps them (the signature covers this value).
    expiresAt: new Date(now.getTime() + parsed.expiresInSeconds * 1000),
  };
  await db.actionLink.create({ data: { ...fields, createdAt: now } });
  return { token: signLink(fields, o.secret ?? env().authSecret), expiresAt: fields.expiresAt };
}
