import "server-only";
import { z } from "zod";

/** Shared by the register form, the JSON route and the sign-in check. */
export const emailSchema = z
  .string({ error: "is required" })
  .trim()
  .max(254, "must be at most 254 characters")
  .pipe(z.email({ error: "must be a valid email address" }))
  .transform((v) => v.toLowerCase());

export const passwordSchema = z
  .string({ error: "is required" })
  .min(8, "must be at least 8 characters")
  .max(200, "must be at most 200 characters");

export const registerSchema = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
  name: z
    .string()
    .trim()
    .max(100, "must be at most 100 characters")
    .optional()
    .transform((v) => (v ? v : undefined)),
});

export type RegisterInput = z.input<typeof registerSchema>;

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1).max(200),
});

export const ROLES = ["USER", "OPS", "ADMIN"] as const;
export type Role = (typeof ROLES)[number];
