const STYLES = {
  neutral: "bg-slate-100 text-slate-700",
  good: "bg-emerald-100 text-emerald-800",
  warn: "bg-amber-100 text-amber-800",
  bad: "bg-red-100 text-red-800",
} as const;

export function StatusPill({ label, text, tone }: { label: string; text: string; tone: keyof typeof STYLES }) {
  return (
    <span role="status" aria-label={label} className={`inline-flex items-center gap-1 rounded-full px-2.5 py-0.5 text-sm font-medium ${STYLES[tone]}`}>
      <span className="sr-only">{label}: </span>
      {text}
    </span>
  );
}
