/**
 * Calendar arithmetic on "YYYY-MM-DD" strings. Insights days are days in the AD ACCOUNT's time
 * zone (Meta reports them that way), so "today" is always computed for that zone, never the
 * server's.
 */

export const DATE_PRESETS = ["today", "yesterday", "last_7d", "last_14d", "last_30d", "this_month", "last_month"] as const;
export type DatePreset = (typeof DATE_PRESETS)[number];

export type DateRange = { since: string; until: string };

/** Meta keeps about 37 months of insights history. */
export const MAX_MONTHS_BACK = 37;

export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function addMonths(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 10);
}

/** Inclusive day count of a range. */
export function dayCount(range: DateRange): number {
  return Math.round((Date.parse(`${range.until}T00:00:00Z`) - Date.parse(`${range.since}T00:00:00Z`)) / 86_400_000) + 1;
}

export function eachDay(range: DateRange): string[] {
  const out: string[] = [];
  for (let d = range.since; d <= range.until; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The calendar date at `at` in `timeZone` ("en-CA" formats as YYYY-MM-DD). */
export function localDate(timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

export function isValidDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

const monthStart = (d: string) => `${d.slice(0, 7)}-01`;

/** Same meaning as Meta's presets of the same name: `last_Nd` ends yesterday. */
export function presetRange(preset: DatePreset, today: string): DateRange {
  switch (preset) {
    case "today":
      return { since: today, until: today };
    case "yesterday":
      return { since: addDays(today, -1), until: addDays(today, -1) };
    case "last_7d":
      return { since: addDays(today, -7), until: addDays(today, -1) };
    case "last_14d":
      return { since: addDays(today, -14), until: addDays(today, -1) };
    case "last_30d":
      return { since: addDays(today, -30), until: addDays(today, -1) };
    case "this_month":
      return { since: monthStart(today), until: today };
    case "last_month":
      return { since: monthStart(addDays(monthStart(today), -1)), until: addDays(monthStart(today), -1) };
  }
}

/** Why a custom range is refused relative to `today`, or null when it is fine. */
export function rangeProblem(range: DateRange, today: string): { field: "since" | "until"; message: string } | null {
  if (range.since > range.until) return { field: "since", message: "since must be on or before until" };
  if (range.until > today) return { field: "until", message: "until cannot be in the future" };
  const earliest = addMonths(today, -MAX_MONTHS_BACK);
  if (range.since < earliest) return { field: "since", message: `since cannot be more than ${MAX_MONTHS_BACK} months back (earliest ${earliest})` };
  return null;
}
