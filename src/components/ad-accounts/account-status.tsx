const TONES: Record<string, string> = {
  ACTIVE: "bg-emerald-100 text-emerald-800",
  DISABLED: "bg-red-100 text-red-800",
  CLOSED: "bg-slate-200 text-slate-700",
  UNSETTLED: "bg-amber-100 text-amber-800",
};

export function accountStatusText(status: string) {
  return status
    .toLowerCase()
    .split("_")
    .map((w, i) => (i === 0 ? w[0]?.toUpperCase() + w.slice(1) : w))
    .join(" ");
}

export function AccountStatusBadge({ status }: { status: string }) {
  return (
    <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${TONES[status] ?? "bg-amber-100 text-amber-800"}`}>
      {accountStatusText(status)}
    </span>
  );
}
