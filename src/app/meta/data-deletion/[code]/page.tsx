import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { formatDate } from "@/components/format";
import { db } from "@/server/db";
import { getDataDeletionRequest } from "@/server/integrations/facebook/callbacks/delete-meta-user-data";

export const metadata: Metadata = { title: "Data deletion status" };

/** Public status page for a Meta data deletion request: the URL Meta shows the person. */
export default async function DataDeletionStatusPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const request = await getDataDeletionRequest(db(), code);
  if (!request) notFound();
  const done = request.status === "completed";
  return (
    <section className="mx-auto max-w-xl space-y-4">
      <h1 className="text-2xl font-semibold">Data deletion request</h1>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 rounded-xl border border-slate-200 bg-white p-5 text-sm shadow-sm">
        <dt className="text-slate-500">Confirmation code</dt>
        <dd className="font-mono">{request.confirmationCode}</dd>
        <dt className="text-slate-500">Status</dt>
        <dd role="status" aria-label="Deletion status">
          {done ? "Completed" : "In progress"}
        </dd>
        <dt className="text-slate-500">Requested</dt>
        <dd>{formatDate(request.requestedAt)}</dd>
        {request.completedAt && (
          <>
            <dt className="text-slate-500">Completed</dt>
            <dd>{formatDate(request.completedAt)}</dd>
          </>
        )}
      </dl>
      <p className="text-slate-700">
        {done
          ? `Linkboard deleted the data it held from your Facebook account: ${request.tokensDeleted} access token${request.tokensDeleted === 1 ? "" : "s"}, ${request.connectionsDeleted} connection${request.connectionsDeleted === 1 ? "" : "s"} and ${request.adAccountsDeleted} ad account record${request.adAccountsDeleted === 1 ? "" : "s"}.`
          : "Linkboard is deleting the data it holds from your Facebook account."}{" "}
        Your Linkboard sign-in (email and password) is separate and was not changed.
      </p>
    </section>
  );
}
