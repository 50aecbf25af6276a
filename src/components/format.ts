const DATE = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

export function formatDate(value: string | Date): string {
  return DATE.format(new Date(value));
}

/** "in 12 days", "today", "3 days ago". */
export function relativeDays(value: string | Date, now = new Date()): string {
  const days = Math.round((new Date(value).getTime() - now.getTime()) / 86_400_000);
  if (days === 0) return "today";
  if (days === 1) return "tomorrow";
  if (days > 0) return `in ${days} days`;
  return days === -1 ? "yesterday" : `${-days} days ago`;
}
