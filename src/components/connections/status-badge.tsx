import { STATUS_LABELS, type ConnectionStatus, type StatusTone } from "@/lib/connection-status";

/** THE badge for a connection's status: settings cards, ops list and audit page alike. */
export const TONE_CLASSES: Record<StatusTone | "neutral", string> = {
  good: "bg-emerald-100 text-emerald-800",
  warn: "bg-amber-100 text-amber-800",
  bad: "bg-red-100 text-red-800",
  neutral: "bg-slate-100 text-slate-700",
};

export function StatusBadge({ status, testId }: { status: ConnectionStatus; testId: string }) {
  const label = STATUS_LABELS[status];
  return (
    <span data-testid={testId} data-status={status} className={`whitespace-nowrap rounded-full px-2.5 py-0.5 text-xs font-medium ${TONE_CLASSES[label.tone]}`}>
      {label.text}
    </span>
  );
}
