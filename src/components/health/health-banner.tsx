import Link from "next/link";
import type { ConnectionView } from "@/server/connections/views";
import { healthNotices, type HealthNotice } from "@/lib/health-notices";

/**
 * The owner's connection-health messages, each with a Reconnect link. Built from the same
 * connection views the page's cards and pill show, so they always agree. Renders nothing when
 * all is well.
 */
const RECONNECT_HREF = "/settings/connections";

function inDays(n: number | null): string {
  if (n === null || n <= 0) return "today";
  return n === 1 ? "in 1 day" : `in ${n} days`;
}

export function noticeText(n: HealthNotice, provider: string): string {
  switch (n.kind) {
    case "relink_requested":
      return `Our team asked you to reconnect ${provider}`;
    case "expiring":
      return n.endingKind === "data_access" ? `${provider} data access for your connection ends ${inDays(n.daysLeft)}` : `Your ${provider} connection expires ${inDays(n.daysLeft)}`;
    case "needs_relink":
      return `Your ${provider} connection has ended and needs to be reconnected`;
    case "revoked":
      return `${provider} access was removed`;
    case "refresh_failed":
      return `${provider} refused to renew your connection`;
    case "permissions_missing":
      return `${provider} is missing a permission Linkboard needs`;
    case "error":
      return `Linkboard could not reach ${provider} for your connection the last time it tried`;
  }
}

export function HealthBanner({ connections, providerNames }: { connections: readonly ConnectionView[]; providerNames: Record<string, string> }) {
  const notices = healthNotices(connections);
  if (notices.length === 0) return null;
  const several = new Set(notices.map((n) => n.connectionId)).size > 1;
  return (
    <section aria-label="Connection health" className="space-y-2">
      {notices.map((n) => {
        const urgent = n.kind !== "expiring" && n.kind !== "relink_requested" && n.kind !== "error";
        return (
          <div
            key={n.connectionId}
            role={urgent ? "alert" : "status"}
            data-testid="health-banner"
            data-kind={n.kind}
            className={`rounded-lg border px-4 py-3 ${urgent ? "border-red-200 bg-red-50 text-red-900" : "border-amber-200 bg-amber-50 text-amber-900"}`}
          >
            <p>
              <span className="font-medium">{noticeText(n, providerNames[n.provider] ?? n.provider)}</span>
              {several && <span className="text-sm"> ({n.name})</span>} —{" "}
              <Link href={RECONNECT_HREF} className="font-medium underline">
                Reconnect
              </Link>
            </p>
          </div>
        );
      })}
    </section>
  );
}
