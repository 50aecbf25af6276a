"use server";

import { redirect } from "next/navigation";
import { signIn } from "@/auth";
import { db } from "@/server/db";
import { disconnectConnection } from "@/server/connections/disconnect-connection";
import { connectionIdBody } from "@/server/connections/schema";
import { AppError } from "@/server/errors";
import { assertCleanInput } from "@/server/http/read-input";
import { requireUserPage } from "@/server/users/require-user";

const SETTINGS = "/settings/connections";

// Server actions can be called with any arguments and without a session: a signed-out caller goes
// to the sign-in page, and an argument that is not a connection id is "not found" — never an error page.

/** Starts the Facebook dialog; Auth.js redirects the browser there. */
export async function linkFacebookAction() {
  await requireUserPage(SETTINGS);
  await signIn("facebook", { redirectTo: `${SETTINGS}?linked=facebook` });
}

/** Re-links through the normal flow; re-asks declined permissions when some are missing. */
export async function reconnectAction(rerequest: boolean) {
  await requireUserPage(SETTINGS);
  await signIn("facebook", { redirectTo: `${SETTINGS}?linked=facebook` }, rerequest === true ? { auth_type: "rerequest" } : undefined);
}

export async function disconnectAction(connectionId: string) {
  const { id: userId } = await requireUserPage(SETTINGS);
  let input: { connectionId: string };
  try {
    assertCleanInput(connectionId);
    input = connectionIdBody.parse({ connectionId });
  } catch {
    redirect(`${SETTINGS}?error=not_found`);
  }
  let revoked: boolean;
  try {
    ({ revoked } = await disconnectConnection(db(), { userId, ...input }));
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") redirect(`${SETTINGS}?error=not_found`);
    throw error;
  }
  redirect(`${SETTINGS}?disconnected=${revoked ? "revoked" : "local"}`);
}
