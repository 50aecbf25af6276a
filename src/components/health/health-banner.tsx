import { env } from "@/env";
import { db } from "@/server/db";
import { getUserHealthNotices } from "@/server/health/get-user-health-notices";
import { HealthBannerView } from "./health-banner-view";

/**
 * Server component for the dashboard and settings pages: tells the signed-in owner when a
 * Facebook connection is expiring, broken, or when ops asked for a re-link. Renders nothing
 * when all is well. Pass the signed-in user's id — never another user's.
 */
export async function HealthBanner({ userId, now }: { userId: string; now?: Date }) {
  const notices = await getUserHealthNotices(db(), userId, { now: now ?? new Date(), expiringDays: env().health.expiringDays });
  return <HealthBannerView notices={notices} />;
}
