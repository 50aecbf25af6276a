import Link from "next/link";
import type { HealthNotice } from "@/server/health/get-user-health-notices";

/** The owner's connection-health messages, each with a Reconnect link (presentational). */
const RECONNECT_HREF = "/settings/connections";

function inDays(n: number | null): string {
  if (n === null || n <= 0) return "today";
  return n === 1 ? "in 1 day" : `in ${n} days`;
}

export function noticeText(n: HealthNotice): string {
  switch (n.kind) {
    case "relink_requested":
      return "Our team asked you to reconnect Facebook";
    case "expiring":
      return n.endingKind === "data_access"
        ? `Facebook data access for your connection ends ${inDays(n.daysLeft)}`
        : `Your Facebook connection expires ${inDays(n.daysLeft)}`;
    case "expired":
      return "Your Facebook connection has expired";
    case "revoked":
      return "Facebook access was removed";
    case "needs_relink":
      return "Facebook no longer recognises your connection";
    case "permissions_missing":
      return "Facebook is missing a permission Linkboard needs";
    case "error":
      return "Your Facebook connection stopped working";
  }
}

export function HealthBannerView({ notices }: { notices: HealthNotice[] }) {
  if (notices.length === 0) return null;
  const several = new Set(notices.map((n) => n.connectionId)).size > 1;
  return (
    <section aria-label="Facebook connection health" className="space-y-2">
      {notices.map((n) => {
        const urgent = n.kind !== "expiring" && n.kind !== "relink_requested";
        return (
          <div
            key={n.connectionId}
            role={urgent ? "alert" : "status"}
            data-testid="health-banner"
            data-kind={n.kind}
            className={`rounded-lg border px-4 py-3 ${urgent ? "border-red-200 bg-red-50 text-red-900" : "border-amber-200 bg-amber-50 text-amber-900"}`}
          >
            <p>
              <span className="font-medium">{noticeText(n)}</span>
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
