"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";

/**
 * "Reset sandbox" next to the Sandbox badge (development only): confirm in a dialog that says what
 * is forgotten, POST the same-origin JSON route, then report what the check found and refresh.
 */
type Result = { reset: string[]; checked: number | null; needsRelink: number };

function summary(r: Result): string {
  if (r.checked === null) return "Sandbox reset. Connections show their state at the next check.";
  if (r.needsRelink === 0) return "Sandbox reset. No linked connection was affected.";
  return `Sandbox reset. ${r.needsRelink} ${r.needsRelink === 1 ? "connection needs" : "connections need"} a re-link.`;
}

export function SandboxResetButton({ forgets }: { forgets: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const [state, setState] = useState<{ kind: "idle" | "sending" | "done" | "failed"; message?: string }>({ kind: "idle" });

  async function reset() {
    setState({ kind: "sending" });
    try {
      const response = await fetch("/api/sandbox/reset", { method: "POST" });
      const body = (await response.json().catch(() => null)) as (Result & { error?: { message?: string; hint?: string } }) | null;
      if (!response.ok || !body) throw new Error(body?.error ? `${body.error.message ?? ""} ${body.error.hint ?? ""}`.trim() : `The reset failed (HTTP ${response.status}).`);
      dialog.current?.close();
      setState({ kind: "done", message: summary(body) });
      router.refresh();
    } catch (error) {
      dialog.current?.close();
      setState({ kind: "failed", message: error instanceof Error ? error.message : "The reset failed." });
    }
  }

  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        onClick={() => dialog.current?.showModal()}
        className="rounded-md border border-amber-300 px-2 py-0.5 text-xs font-medium text-amber-900 hover:bg-amber-50"
      >
        Reset sandbox
      </button>
      {state.kind === "done" && (
        <span role="status" className="text-xs text-emerald-700">
          {state.message}
        </span>
      )}
      {state.kind === "failed" && (
        <span role="alert" className="text-xs text-red-700">
          {state.message}
        </span>
      )}
      <dialog ref={dialog} aria-labelledby="sandbox-reset-title" className="m-auto max-w-md rounded-xl p-6 shadow-xl backdrop:bg-slate-900/40">
        <h2 id="sandbox-reset-title" className="text-lg font-semibold">
          Reset the sandbox?
        </h2>
        <p className="mt-2 text-sm text-slate-600">The sandbox forgets {forgets}.</p>
        <p className="mt-2 text-sm text-slate-600">
          Your Linkboard accounts and their data stay, but every linked connection will need a re-link.
        </p>
        <div className="mt-5 flex justify-end gap-3">
          <button type="button" onClick={() => dialog.current?.close()} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm">
            Cancel
          </button>
          <button
            type="button"
            onClick={reset}
            disabled={state.kind === "sending"}
            aria-busy={state.kind === "sending"}
            className="rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-600 disabled:opacity-60"
          >
            {state.kind === "sending" ? "Resetting…" : "Reset sandbox"}
          </button>
        </div>
      </dialog>
    </span>
  );
}
