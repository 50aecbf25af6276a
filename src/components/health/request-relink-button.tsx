"use client";

import { ConfirmedPostButton } from "@/components/confirmed-post-button";

/** "Request re-link" for one connection: confirm, POST the ops route, show the result, refresh the table. */
export function RequestRelinkButton({
  connectionId,
  ownerEmail,
  providerName,
  requestedAt,
}: {
  connectionId: string;
  ownerEmail: string;
  providerName: string;
  requestedAt: string | null;
}) {
  return (
    <ConfirmedPostButton
      url={`/api/ops/connections/${encodeURIComponent(connectionId)}/request-relink`}
      label="Request re-link"
      buttonClassName="whitespace-nowrap rounded-md border border-slate-300 px-2.5 py-1 text-xs font-medium hover:bg-slate-100"
      title={`Ask ${ownerEmail} to reconnect ${providerName}?`}
      confirmLabel="Send request"
      describe={() => "Re-link requested"}
      idleNote={requestedAt && <span className="text-xs text-slate-500">Requested {new Date(requestedAt).toISOString().slice(0, 10)}</span>}
      className="flex flex-col items-start gap-1"
    >
      <p>
        They will see a banner asking them to reconnect on their dashboard and settings pages until they do. The request is recorded
        in the connection&apos;s audit trail.
      </p>
    </ConfirmedPostButton>
  );
}
