import "server-only";
import { z } from "zod";
import type { MailStatus } from "@prisma/client";

/**
 * Inputs of the mail module. Every value that becomes a header is one line: a CR or LF in a
 * recipient or subject would let data write headers of its own (header injection), so it is
 * refused before anything is recorded.
 */
export type { MailStatus };
export const MAIL_STATUSES = ["queued", "sending", "sent", "failed"] as const satisfies readonly MailStatus[];

/** One recipient address (no display name, no list). */
export const mailAddress = z.email({ error: "must be one email address" }).max(254);

const CONTROL = /[\u0000-\u001f\u007f]/;

export const mailSubject = z
  .string()
  .min(1, "must not be empty")
  .max(200, "must be at most 200 characters")
  .refine((s) => !CONTROL.test(s), "must be one line of text (no line breaks or control characters)");

/** The caller's dedupe key: sending with a key already used returns that message instead. */
export const mailKey = z.string().min(1).max(200);

/** A link in a mail: a page of the app, or a signed one-click link for the recipient. */
export const mailLinkSpec = z.union([
  z.object({ path: z.string().startsWith("/").max(500) }).strict(),
  z
    .object({
      oneClick: z
        .object({
          /** The action the landing page performs (action-links `action`). */
          action: z.string().min(2).max(63),
          /** The page that handles it; the link token is added as `?link=`. */
          path: z.string().startsWith("/").max(500),
          target: z.string().min(1).max(200).optional(),
          expiresInMinutes: z.number().int().min(5).max(30 * 24 * 60),
          /** Bound to the recipient's account (default), or to the address (someone without one yet). */
          bind: z.enum(["user", "email"]).default("user"),
        })
        .strict(),
    })
    .strict(),
]);
export type MailLinkSpec = z.input<typeof mailLinkSpec>;
