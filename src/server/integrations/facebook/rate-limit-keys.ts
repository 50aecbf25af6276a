import "server-only";
/**
 * Meta's budgets as keys of the shared rate-limit record (rate-limits/shared-rate-limits.ts).
 * The app-level budget (X-App-Usage, throttle codes 4 / 17) is one for the whole app; the
 * Business-Use-Case and ad-account budgets (X-Business-Use-Case-Usage, X-Ad-Account-Usage, codes
 * 80000–80014, 613) are per ad account and shared by every user of the app.
 */
export const META_APP_LIMIT = "meta:app";

export function metaAdAccountLimit(adAccountId: string): string {
  return `meta:ad_account:${adAccountId}`;
}
