import { StatusBadge, statusLabel } from "@/components/connections/status-badge";
import type { Health } from "@/server/health/health-state";

export function healthLabel(health: Health): string {
  return statusLabel(health);
}

export function HealthBadge({ health }: { health: Health }) {
  return <StatusBadge status={health} testId="health-badge" />;
}
