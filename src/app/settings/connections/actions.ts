"use server";

import { redirect } from "next/navigation";
import { signIn } from "@/auth";
import { db } from "@/server/db";
import { disconnectConnection } from "@/server/connections/disconnect-connection";
import { getOwnedConnectionOrThrow } from "@/server/connections/get-owned-connection-or-throw";
import { connectionIdBody, linkStartInput, quickConnectInput } from "@/server/connections/schema";
import { syncConnection } from "@/server/connections/sync-connection";
import { missingScopes } from "@/server/connections/views";
import { AppError } from "@/server/errors";
import { assertCleanInput } from "@/server/http/read-input";
import { registry } from "@/server/integrations/registry";
import { requireUserPage } from "@/server/users/require-user";

const SETTINGS = "/settings/connections";

// Server actions can be called with any arguments and without a session: a signed-out caller goes
// to the sign-in page, and an argument that is not a provider or connection id is "not found" —
// never an error page.

function parsed<T>(parse: () => T): T {
  try {
    return parse();
  } catch {
    redirect(`${SETTINGS}?error=not_found`);
  }
}

/** An OAuth provider that can be linked here, or "not found". */
function oauthAdapter(provider: string) {
  const adapter = registry.find(provider);
  if (!adapter || adapter.link.kind !== "oauth" || !adapter.settings().configured) redirect(`${SETTINGS}?error=not_found`);
  return adapter;
}

const connectionId = (value: unknown) =>
  parsed(() => {
    assertCleanInput(value);
    return connectionIdBody.parse({ connectionId: value }).connectionId;
  });

/** Starts the provider's dialog; Auth.js redirects the browser there. */
export async function linkAction(provider: string) {
  await requireUserPage(SETTINGS);
  const { provider: id } = parsed(() => linkStartInput.parse({ provider }));
  await signIn(oauthAdapter(id).id, { redirectTo: `${SETTINGS}?linked=${id}` });
}

/**
 * Sandbox only: the real Auth.js flow with the sandbox dialog approving at once as the chosen
 * persona (`sandbox_persona`, docs/sandbox.md). Refused unless this provider's sandbox is on.
 */
export async function quickConnectAction(provider: string, form: FormData) {
  await requireUserPage(SETTINGS);
  const { provider: id, persona } = parsed(() => quickConnectInput.parse({ provider, persona: form.get("persona") }));
  const adapter = oauthAdapter(id);
  if (!adapter.settings().sandbox) redirect(`${SETTINGS}?error=not_found`);
  await signIn(adapter.id, { redirectTo: `${SETTINGS}?linked=${id}` }, { sandbox_persona: persona });
}

/** Re-links through the normal flow; the adapter may re-ask declined permissions. */
export async function reconnectAction(rawConnectionId: string) {
  const { id: userId } = await requireUserPage(SETTINGS);
  const id = connectionId(rawConnectionId);
  let connection: Awaited<ReturnType<typeof getOwnedConnectionOrThrow>>;
  try {
    connection = await getOwnedConnectionOrThrow(db(), userId, id);
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") redirect(`${SETTINGS}?error=not_found`);
    throw error;
  }
  const adapter = oauthAdapter(connection.provider);
  const row = await db().connection.findUniqueOrThrow({ where: { id: connection.id }, select: { grantedScopes: true } });
  const params = adapter.link.kind === "oauth" ? adapter.link.reconnectParams?.({ missingScopes: missingScopes(row.grantedScopes, adapter.requiredScopes()) }) : undefined;
  await signIn(adapter.id, { redirectTo: `${SETTINGS}?linked=${adapter.id}` }, params);
}

export async function syncAction(rawConnectionId: string) {
  const { id: userId } = await requireUserPage(SETTINGS);
  const id = connectionId(rawConnectionId);
  let provider = "";
  try {
    provider = (await getOwnedConnectionOrThrow(db(), userId, id)).provider;
    await syncConnection(db(), { userId, connectionId: id });
  } catch (error) {
    if (error instanceof AppError) redirect(`${SETTINGS}?error=${error.code === "NOT_FOUND" ? "not_found" : "sync_failed"}&provider=${provider}`);
    throw error;
  }
  redirect(`${SETTINGS}?synced=${provider}`);
}

export async function disconnectAction(rawConnectionId: string) {
  const { id: userId } = await requireUserPage(SETTINGS);
  const id = connectionId(rawConnectionId);
  let result: { revoked: boolean; provider: string };
  try {
    const { provider } = await getOwnedConnectionOrThrow(db(), userId, id);
    const { revoked } = await disconnectConnection(db(), { userId, connectionId: id });
    result = { revoked, provider };
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") redirect(`${SETTINGS}?error=not_found`);
    throw error;
  }
  redirect(`${SETTINGS}?disconnected=${result.revoked ? "revoked" : "local"}&provider=${result.provider}`);
}
