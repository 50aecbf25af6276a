import type { Metadata } from "next";
import { Banner } from "@/components/banner";
import { ConnectionCard } from "@/components/connections/connection-card";
import { HealthBanner } from "@/components/health/health-banner";
import { SubmitButton } from "@/components/submit-button";
import { db } from "@/server/db";
import { linkErrorFor } from "@/server/auth/link-errors";
import { getMetaStatus } from "@/server/connections/get-meta-status";
import { requireUserPage } from "@/server/users/require-user";
import { disconnectAction, linkFacebookAction, reconnectAction } from "./actions";

export const metadata: Metadata = { title: "Connections" };

type Search = { linked?: string; error?: string; disconnected?: string };

export default async function ConnectionsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUserPage("/settings/connections");
  const params = await searchParams;
  const { connections, status } = await getMetaStatus(db(), user.id);
  const error = params.error === "not_found" ? { message: "That connection no longer exists.", hint: "The list below is current." } : linkErrorFor(params.error);
  // When the link left something to fix (a declined permission), the health banner says so instead.
  const linked = params.linked === "facebook" && !error && status === "connected";
  return (
    <section className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Connections</h1>
        <form action={linkFacebookAction}>
          <SubmitButton className="inline-flex items-center gap-2 rounded-md bg-[#1877f2] px-4 py-2 font-medium text-white hover:bg-[#166fe0] disabled:opacity-60">
            Link Facebook
          </SubmitButton>
        </form>
      </div>
      <HealthBanner userId={user.id} />
      {error && (
        <Banner tone={params.error === "cancelled" ? "info" : "error"} title={error.message}>
          {error.hint}
        </Banner>
      )}
      {linked && (
        <Banner tone="success" title="Facebook is linked.">
          Your ad accounts are on the dashboard.
        </Banner>
      )}
      {params.disconnected && (
        <Banner tone={params.disconnected === "revoked" ? "success" : "warning"} title="Disconnected.">
          {params.disconnected === "revoked"
            ? "Facebook revoked Linkboard's access and the stored token was deleted."
            : "The stored token was deleted, but Facebook could not be reached to revoke access. Remove Linkboard under Facebook Settings → Apps and Websites."}
        </Banner>
      )}
      <ul aria-label="Connections" className="space-y-4">
        {connections.length === 0 ? (
          <li className="rounded-xl border border-dashed border-slate-300 bg-white p-6 text-slate-600">
            No connections yet. Link Facebook to bring in your ad accounts.
          </li>
        ) : (
          connections.map((connection) => (
            <ConnectionCard key={connection.id} connection={connection} reconnect={reconnectAction} disconnect={disconnectAction} />
          ))
        )}
      </ul>
    </section>
  );
}
