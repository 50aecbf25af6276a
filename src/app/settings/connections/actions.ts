"use server";

import { redirect } from "next/navigation";
import { signIn } from "@/auth";
import { db } from "@/server/db";
import { disconnectConnection } from "@/server/connections/disconnect-connection";
import { connectionIdBody } from "@/server/connections/schema";
import { AppError } from "@/server/errors";
import { assertCleanInput } from "@/server/http/read-input";
import { requireUserId } from "@/server/users/require-user";

const SETTINGS = "/settings/connections";

/** Starts the Facebook dialog; Auth.js redirects the browser there. */
export async function linkFacebookAction() {
  await requireUserId();
  await signIn("facebook", { redirectTo: `${SETTINGS}?linked=facebook` });
}

/** Re-links through the normal flow; re-asks declined permissions when some are missing. */
export async function reconnectAction(rerequest: boolean) {
  await requireUserId();
  await signIn("facebook", { redirectTo: `${SETTINGS}?linked=facebook` }, rerequest ? { auth_type: "rerequest" } : undefined);
}

export async function disconnectAction(connectionId: string) {
  const userId = await requireUserId();
  assertCleanInput(connectionId);
  const input = connectionIdBody.parse({ connectionId });
  let revoked: boolean;
  try {
    ({ revoked } = await disconnectConnection(db(), { userId, ...input }));
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") redirect(`${SETTINGS}?error=not_found`);
    throw error;
  }
  redirect(`${SETTINGS}?disconnected=${revoked ? "revoked" : "local"}`);
}
