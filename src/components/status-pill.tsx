import { STATUS_LABELS, type ConnectionStatus } from "@/lib/connection-status";
import { TONE_CLASSES } from "@/components/connections/status-badge";

/** A provider's overall status in a page header (most urgent connection wins); labels from the one table. */
export function StatusPill({ label, status }: { label: string; status: ConnectionStatus | "not_connected" }) {
  const { text, tone } = status === "not_connected" ? { text: "Not connected", tone: "neutral" as const } : STATUS_LABELS[status];
  return (
    <span role="status" aria-label={label} data-status={status} className={`inline-flex items-center gap-1 rounded-full px-2.5 py-0.5 text-sm font-medium ${TONE_CLASSES[tone]}`}>
      <span className="sr-only">{label}: </span>
      {text}
    </span>
  );
}
