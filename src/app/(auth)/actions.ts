"use server";

import { headers } from "next/headers";
import { AuthError, CredentialsSignin } from "next-auth";
import { signIn } from "@/auth";
import { db } from "@/server/db";
import { AppError, fromZodError } from "@/server/errors";
import { clientIp } from "@/server/http/client-address";
import { readFormData } from "@/server/http/read-input";
import { registerUser } from "@/server/users/register-user";
import { registerSchema } from "@/server/users/schema";

export type FormState = { error?: string; fieldErrors?: Record<string, string>; values?: Record<string, string> };

/** Only same-site relative paths may be redirected to after sign-in. */
function safeCallback(text: string): string {
  return text.startsWith("/") && !text.startsWith("//") && !text.startsWith("/\\") ? text : "/dashboard";
}

const INVALID_TEXT = "Some of what you typed cannot be used (control characters). Remove it and try again.";

/** The form's fields, or null when one holds text the app refuses (NUL, broken Unicode). */
function fields<K extends string>(formData: FormData, names: readonly K[]): Record<K, string> | null {
  try {
    return readFormData(formData, names);
  } catch (error) {
    if (error instanceof AppError && error.code === "VALIDATION_ERROR") return null;
    throw error;
  }
}

export async function signInAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const form = fields(formData, ["email", "password", "callbackUrl"]);
  if (!form) return { error: INVALID_TEXT };
  const { email } = form;
  try {
    await signIn("credentials", {
      email,
      password: form.password,
      redirectTo: safeCallback(form.callbackUrl),
    });
    return {};
  } catch (error) {
    if (error instanceof CredentialsSignin && error.code === "rate_limited") {
      return { error: "Too many sign-in attempts. Wait a few minutes, then try again.", values: { email } };
    }
    if (error instanceof AuthError) return { error: "Wrong email or password.", values: { email } };
    throw error; // includes Next's redirect on success
  }
}

export async function registerAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const input = fields(formData, ["email", "password", "name"]);
  if (!input) return { error: INVALID_TEXT };
  const values = { email: input.email, name: input.name };
  const parsed = registerSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "form");
      fieldErrors[field] ??= `${field[0]?.toUpperCase()}${field.slice(1)} ${issue.message}`;
    }
    return { error: fromZodError(parsed.error).message, fieldErrors, values };
  }
  try {
    await registerUser(db(), input, { clientIp: clientIp(await headers()) });
  } catch (error) {
    if (error instanceof AppError) return { error: `${error.message} ${error.hint ?? ""}`.trim(), values };
    throw error;
  }
  await signIn("credentials", { email: parsed.data.email, password: input.password, redirectTo: "/dashboard" });
  return {};
}
