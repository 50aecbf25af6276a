"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";

type SyncResult = { adAccountCount: number; added: number; removed: number; updated: number };

/** "Refresh from Meta": re-syncs each connection in turn, saying where it is and what changed. */
export function RefreshButton({ connectionIds, onDone }: { connectionIds: string[]; onDone?: () => void }) {
  const router = useRouter();
  const [progress, setProgress] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [, startTransition] = useTransition();

  async function refresh() {
    setBusy(true);
    setError(null);
    const totals = { adAccountCount: 0, added: 0, removed: 0 };
    try {
      for (const [index, connectionId] of connectionIds.entries()) {
        setProgress(`Refreshing from Meta… (${index + 1} of ${connectionIds.length})`);
        const response = await fetch("/api/meta/ad-accounts/sync", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ connectionId }),
        });
        const body = await response.json().catch(() => null);
        if (!response.ok) throw new Error(body?.error ? `${body.error.message} ${body.error.hint ?? ""}`.trim() : `Refresh failed (${response.status}).`);
        const result = body as SyncResult;
        totals.adAccountCount += result.adAccountCount;
        totals.added += result.added;
        totals.removed += result.removed;
      }
      setProgress(`Up to date: ${totals.adAccountCount} ad accounts (${totals.added} new, ${totals.removed} removed).`);
      onDone?.();
      startTransition(() => router.refresh());
    } catch (e) {
      setProgress(null);
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex flex-wrap items-center gap-3">
      <button
        type="button"
        onClick={() => void refresh()}
        disabled={busy}
        aria-busy={busy}
        className="inline-flex items-center gap-2 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-100 disabled:opacity-60"
      >
        {busy && <span aria-hidden className="h-3.5 w-3.5 animate-spin rounded-full border-2 border-slate-300 border-t-slate-700" />}
        Refresh from Meta
      </button>
      <span role="status" className="text-sm text-slate-600">
        {progress}
      </span>
      {error && (
        <span role="alert" className="text-sm text-red-700">
          {error}
        </span>
      )}
    </div>
  );
}
