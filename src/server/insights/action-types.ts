import "server-only";
/**
 * Which Meta action types count, and how (docs/insights.md "Action types").
 *
 * Meta reports one event under several overlapping names: a website purchase appears as
 * `offsite_conversion.fb_pixel_purchase`, again as `purchase`, and again inside `omni_purchase`
 * (all channels, de-duplicated). Summing them would count one purchase three times, so each
 * FAMILY below takes the FIRST type present in its priority list, and the families are added up.
 */
export const CONVERSION_FAMILIES = {
  purchase: [
    "omni_purchase",
    "purchase",
    "offsite_conversion.fb_pixel_purchase",
    "onsite_web_purchase",
    "app_custom_event.fb_mobile_purchase",
    "onsite_conversion.purchase",
    "offline_conversion.purchase",
  ],
  lead: ["lead", "onsite_conversion.lead_grouped", "offsite_conversion.fb_pixel_lead", "leadgen_grouped"],
  registration: ["omni_complete_registration", "complete_registration", "offsite_conversion.fb_pixel_complete_registration"],
} as const;

/** Purchase value comes from `action_values` with the same priority as purchases. */
export const PURCHASE_VALUE_TYPES = CONVERSION_FAMILIES.purchase;

/** Meta's own ROAS list: the de-duplicated entry first. */
export const PURCHASE_ROAS_TYPES = ["omni_purchase", "purchase", "offsite_conversion.fb_pixel_purchase"] as const;

export type ActionEntry = { action_type: string; value: number };

/** The value of the first type of `priority` present in `entries`, or undefined. */
export function firstPresent(entries: readonly ActionEntry[], priority: readonly string[]): number | undefined {
  for (const type of priority) {
    const hit = entries.find((e) => e.action_type === type);
    if (hit) return hit.value;
  }
  return undefined;
}

/** Purchases + leads + registrations, each family counted once. */
export function countConversions(entries: readonly ActionEntry[]): number | undefined {
  let total: number | undefined;
  for (const family of Object.values(CONVERSION_FAMILIES)) {
    const value = firstPresent(entries, family);
    if (value !== undefined) total = (total ?? 0) + value;
  }
  return total;
}
