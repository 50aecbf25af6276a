"use server";

import { redirect } from "next/navigation";
import { signIn } from "@/auth";
import { db } from "@/server/db";
import { disconnectConnection } from "@/server/connections/disconnect-connection";
import { getOwnedConnectionOrThrow } from "@/server/connections/get-owned-connection-or-throw";
import { linkStartInput, quickConnectInput } from "@/server/connections/schema";
import { syncConnection } from "@/server/connections/sync-connection";
import { missingScopes } from "@/server/connections/views";
import { AppError } from "@/server/errors";
import { registry } from "@/server/integrations/registry";
import { requireUserId } from "@/server/users/require-user";

const SETTINGS = "/settings/connections";

function oauthAdapter(provider: string) {
  const adapter = registry.get(provider);
  if (adapter.link.kind !== "oauth" || !adapter.settings().configured) throw new AppError({ code: "NOT_FOUND", message: `${adapter.name} cannot be linked here.` });
  return adapter;
}

/** Starts the provider's dialog; Auth.js redirects the browser there. */
export async function linkAction(provider: string) {
  await requireUserId();
  const { provider: id } = linkStartInput.parse({ provider });
  await signIn(oauthAdapter(id).id, { redirectTo: `${SETTINGS}?linked=${id}` });
}

/**
 * Sandbox only: the real Auth.js flow with the sandbox dialog approving at once as the chosen
 * persona (`sandbox_persona`, docs/sandbox.md). Refused unless this provider's sandbox is on.
 */
export async function quickConnectAction(provider: string, form: FormData) {
  await requireUserId();
  const { provider: id, persona } = quickConnectInput.parse({ provider, persona: form.get("persona") });
  const adapter = oauthAdapter(id);
  if (!adapter.settings().sandbox) throw new AppError({ code: "NOT_FOUND", message: `The ${adapter.name} sandbox is off.` });
  await signIn(adapter.id, { redirectTo: `${SETTINGS}?linked=${id}` }, { sandbox_persona: persona });
}

/** Re-links through the normal flow; the adapter may re-ask declined permissions. */
export async function reconnectAction(connectionId: string) {
  const userId = await requireUserId();
  const connection = await getOwnedConnectionOrThrow(db(), userId, connectionId);
  const adapter = oauthAdapter(connection.provider);
  const row = await db().connection.findUniqueOrThrow({ where: { id: connection.id }, select: { grantedScopes: true } });
  const params = adapter.link.kind === "oauth" ? adapter.link.reconnectParams?.({ missingScopes: missingScopes(row.grantedScopes, adapter.requiredScopes()) }) : undefined;
  await signIn(adapter.id, { redirectTo: `${SETTINGS}?linked=${adapter.id}` }, params);
}

export async function syncAction(connectionId: string) {
  const userId = await requireUserId();
  let provider = "";
  try {
    provider = (await getOwnedConnectionOrThrow(db(), userId, connectionId)).provider;
    await syncConnection(db(), { userId, connectionId });
  } catch (error) {
    if (error instanceof AppError) redirect(`${SETTINGS}?error=${error.code === "NOT_FOUND" ? "not_found" : "sync_failed"}&provider=${provider}`);
    throw error;
  }
  redirect(`${SETTINGS}?synced=${provider}`);
}

export async function disconnectAction(connectionId: string) {
  const userId = await requireUserId();
  let result: { revoked: boolean; provider: string };
  try {
    const { provider } = await getOwnedConnectionOrThrow(db(), userId, connectionId);
    const { revoked } = await disconnectConnection(db(), { userId, connectionId });
    result = { revoked, provider };
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") redirect(`${SETTINGS}?error=not_found`);
    throw error;
  }
  redirect(`${SETTINGS}?disconnected=${result.revoked ? "revoked" : "local"}&provider=${result.provider}`);
}
