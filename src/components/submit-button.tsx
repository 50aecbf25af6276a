"use client";

import { useFormStatus } from "react-dom";

/** A submit button that shows progress without changing its accessible name. */
export function SubmitButton({ children, className, style }: { children: React.ReactNode; className?: string; style?: React.CSSProperties }) {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      disabled={pending}
      aria-busy={pending}
      style={style}
      className={
        className ??
        "inline-flex w-full items-center justify-center gap-2 rounded-md bg-slate-900 px-4 py-2 font-medium text-white hover:bg-slate-700 disabled:opacity-60"
      }
    >
      {pending && (
        <span aria-hidden className="h-4 w-4 animate-spin rounded-full border-2 border-white/40 border-t-white" />
      )}
      {children}
    </button>
  );
}
