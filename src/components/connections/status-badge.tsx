// One label and colour per state, shared by the user's connection cards and the ops views.
const LABELS: Record<string, { text: string; tone: string }> = {
  connected: { text: "Connected", tone: "bg-emerald-100 text-emerald-800" },
  expiring: { text: "Expiring", tone: "bg-amber-100 text-amber-800" },
  permissions_missing: { text: "Permissions missing", tone: "bg-amber-100 text-amber-800" },
  expired: { text: "Expired", tone: "bg-red-100 text-red-800" },
  revoked: { text: "Revoked", tone: "bg-red-100 text-red-800" },
  needs_relink: { text: "Needs re-link", tone: "bg-red-100 text-red-800" },
  error: { text: "Error", tone: "bg-red-100 text-red-800" },
  not_connected: { text: "Not connected", tone: "bg-slate-100 text-slate-700" },
};

export function statusLabel(status: string): string {
  return LABELS[status]?.text ?? status;
}

export function StatusBadge({ status, testId }: { status: string; testId: string }) {
  const label = LABELS[status] ?? { text: status, tone: "bg-slate-100 text-slate-700" };
  return (
    <span data-testid={testId} className={`whitespace-nowrap rounded-full px-2.5 py-0.5 text-xs font-medium ${label.tone}`}>
      {label.text}
    </span>
  );
}
