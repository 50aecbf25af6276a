"use client";

import { useRef } from "react";
import { SubmitButton } from "@/components/submit-button";

/** "Disconnect" asks for confirmation in a modal dialog before the form is submitted. */
export function DisconnectButton({ name, providerName, action }: { name: string; providerName: string; action: () => Promise<void> }) {
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <button
        type="button"
        onClick={() => dialog.current?.showModal()}
        className="rounded-md border border-red-300 px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50"
      >
        Disconnect
      </button>
      <dialog ref={dialog} aria-labelledby={`disconnect-title-${name}`} className="m-auto max-w-md rounded-xl p-6 shadow-xl backdrop:bg-slate-900/40">
        <h2 id={`disconnect-title-${name}`} className="text-lg font-semibold">
          Disconnect {name}?
        </h2>
        <p className="mt-2 text-sm text-slate-600">
          Linkboard asks {providerName} to revoke its access where it can, deletes the stored tokens and forgets what this
          connection brought in. You can link again at any time.
        </p>
        <form action={action} className="mt-5 flex justify-end gap-3">
          <button type="button" onClick={() => dialog.current?.close()} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm">
            Cancel
          </button>
          <SubmitButton className="inline-flex items-center gap-2 rounded-md bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-700 disabled:opacity-60">
            Disconnect
          </SubmitButton>
        </form>
      </dialog>
    </>
  );
}
