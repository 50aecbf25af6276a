"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState, type ReactNode } from "react";

/**
 * A button that asks first: it opens a dialog saying what will happen, POSTs a same-origin JSON
 * route on confirm, then shows what the answer says (or the error and its hint) and refreshes the
 * page's server data.
 */
export function ConfirmedPostButton<T>(props: {
  url: string;
  label: string;
  buttonClassName: string;
  title: string;
  /** The dialog's explanation. */
  children: ReactNode;
  confirmLabel: string;
  confirmClassName?: string;
  busyLabel?: string;
  /** The status text for a successful answer. */
  describe: (body: T) => string;
  /** Shown where the status goes until there is one. */
  idleNote?: ReactNode;
  className?: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const router = useRouter();
  const [state, setState] = useState<{ kind: "idle" | "sending" | "done" | "failed"; message?: string }>({ kind: "idle" });

  async function send() {
    setState({ kind: "sending" });
    try {
      const response = await fetch(props.url, { method: "POST" });
      const body = (await response.json().catch(() => null)) as (T & { error?: { message?: string; hint?: string } }) | null;
      if (!response.ok || !body) {
        throw new Error(body?.error?.message ? `${body.error.message} ${body.error.hint ?? ""}`.trim() : `The request failed (HTTP ${response.status}).`);
      }
      dialog.current?.close();
      setState({ kind: "done", message: props.describe(body) });
      router.refresh();
    } catch (error) {
      dialog.current?.close();
      setState({ kind: "failed", message: error instanceof Error ? error.message : "The request failed." });
    }
  }

  return (
    <div className={props.className}>
      <button type="button" onClick={() => dialog.current?.showModal()} className={props.buttonClassName}>
        {props.label}
      </button>
      {state.kind === "done" ? (
        <span role="status" className="text-xs text-emerald-700">
          {state.message}
        </span>
      ) : (
        props.idleNote
      )}
      {state.kind === "failed" && (
        <span role="alert" className="text-xs text-red-700">
          {state.message}
        </span>
      )}
      <dialog ref={dialog} aria-labelledby={titleId} className="m-auto max-w-md rounded-xl p-6 shadow-xl backdrop:bg-slate-900/40">
        <h2 id={titleId} className="text-lg font-semibold">
          {props.title}
        </h2>
        <div className="mt-2 space-y-2 text-sm text-slate-600">{props.children}</div>
        <div className="mt-5 flex justify-end gap-3">
          <button type="button" onClick={() => dialog.current?.close()} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm">
            Cancel
          </button>
          <button
            type="button"
            onClick={send}
            disabled={state.kind === "sending"}
            aria-busy={state.kind === "sending"}
            className={props.confirmClassName ?? "rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700 disabled:opacity-60"}
          >
            {state.kind === "sending" && props.busyLabel ? props.busyLabel : props.confirmLabel}
          </button>
        </div>
      </dialog>
    </div>
  );
}
