"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";

/**
 * "Request re-link" for one connection: confirm in a dialog, POST the JSON route (same-origin,
 * cookie-authenticated), then show the result and refresh the table.
 */
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
  const dialog = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const [state, setState] = useState<{ kind: "idle" | "sending" | "done" | "failed"; message?: string }>({ kind: "idle" });

  async function send() {
    setState({ kind: "sending" });
    try {
      const response = await fetch(`/api/ops/connections/${encodeURIComponent(connectionId)}/request-relink`, { method: "POST" });
      const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
      if (!response.ok) throw new Error(body?.error?.message ?? `The request failed (HTTP ${response.status}).`);
      dialog.current?.close();
      setState({ kind: "done" });
      router.refresh();
    } catch (error) {
      dialog.current?.close();
      setState({ kind: "failed", message: error instanceof Error ? error.message : "The request failed." });
    }
  }

  return (
    <div className="flex flex-col items-start gap-1">
      <button
        type="button"
        onClick={() => dialog.current?.showModal()}
        className="whitespace-nowrap rounded-md border border-slate-300 px-2.5 py-1 text-xs font-medium hover:bg-slate-100"
      >
        Request re-link
      </button>
      {state.kind === "done" ? (
        <span role="status" className="text-xs text-emerald-700">
          Re-link requested
        </span>
      ) : (
        requestedAt && <span className="text-xs text-slate-500">Requested {new Date(requestedAt).toISOString().slice(0, 10)}</span>
      )}
      {state.kind === "failed" && (
        <span role="alert" className="text-xs text-red-700">
          {state.message}
        </span>
      )}
      <dialog ref={dialog} aria-labelledby={`relink-title-${connectionId}`} className="m-auto max-w-md rounded-xl p-6 shadow-xl backdrop:bg-slate-900/40">
        <h2 id={`relink-title-${connectionId}`} className="text-lg font-semibold">
          Ask {ownerEmail} to reconnect {providerName}?
        </h2>
        <p className="mt-2 text-sm text-slate-600">
          They will see a banner asking them to reconnect on their dashboard and settings pages until they do. The request is
          recorded in the connection&apos;s audit trail.
        </p>
        <div className="mt-5 flex justify-end gap-3">
          <button type="button" onClick={() => dialog.current?.close()} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm">
            Cancel
          </button>
          <button
            type="button"
            onClick={send}
            disabled={state.kind === "sending"}
            aria-busy={state.kind === "sending"}
            className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700 disabled:opacity-60"
          >
            Send request
          </button>
        </div>
      </dialog>
    </div>
  );
}
