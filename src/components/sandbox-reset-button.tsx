"use client";

import { ConfirmedPostButton } from "@/components/confirmed-post-button";

/** "Reset sandbox" next to the Sandbox badge (development only): confirm what is forgotten, reset, report the check. */
type Result = { reset: string[]; checked: number; needsRelink: number };

function summary(r: Result): string {
  if (r.needsRelink === 0) return "Sandbox reset. No linked connection was affected.";
  return `Sandbox reset. ${r.needsRelink} ${r.needsRelink === 1 ? "connection needs" : "connections need"} a re-link.`;
}

export function SandboxResetButton({ forgets }: { forgets: string }) {
  return (
    <ConfirmedPostButton<Result>
      url="/api/sandbox/reset"
      label="Reset sandbox"
      buttonClassName="rounded-md border border-amber-300 px-2 py-0.5 text-xs font-medium text-amber-900 hover:bg-amber-50"
      title="Reset the sandbox?"
      confirmLabel="Reset sandbox"
      busyLabel="Resetting…"
      confirmClassName="rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-600 disabled:opacity-60"
      describe={summary}
      className="inline-flex items-center gap-2"
    >
      <p>The sandbox forgets {forgets}.</p>
      <p>Your Linkboard accounts and their data stay, but every linked connection will need a re-link.</p>
    </ConfirmedPostButton>
  );
}
