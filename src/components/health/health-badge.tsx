import type { Health } from "@/server/health/health-state";

const LABELS: Record<Health, { text: string; tone: string }> = {
  connected: { text: "Connected", tone: "bg-emerald-100 text-emerald-800" },
  expiring: { text: "Expiring", tone: "bg-amber-100 text-amber-800" },
  permissions_missing: { text: "Permissions missing", tone: "bg-amber-100 text-amber-800" },
  expired: { text: "Expired", tone: "bg-red-100 text-red-800" },
  revoked: { text: "Revoked", tone: "bg-red-100 text-red-800" },
  error: { text: "Error", tone: "bg-red-100 text-red-800" },
};

export function healthLabel(health: Health): string {
  return LABELS[health].text;
}

export function HealthBadge({ health }: { health: Health }) {
  const label = LABELS[health];
  return (
    <span data-testid="health-badge" className={`whitespace-nowrap rounded-full px-2.5 py-0.5 text-xs font-medium ${label.tone}`}>
      {label.text}
    </span>
  );
}
