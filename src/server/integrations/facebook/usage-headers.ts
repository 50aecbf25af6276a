import "server-only";
import { z } from "zod";

/**
 * Meta's rate-limit headers (values are JSON strings, numbers are percent of quota used). Read on
 * every answer, including inside batch items, to log pressure and to turn a throttle into a
 * retry-after.
 */

/** @link https://developers.facebook.com/docs/graph-api/overview/rate-limiting/ */
const appUsageSchema = z.object({
  call_count: z.number().optional(),
  total_cputime: z.number().optional(),
  total_time: z.number().optional(),
});

/** @link https://developers.facebook.com/docs/graph-api/overview/rate-limiting/ */
const bucUsageSchema = z.record(
  z.string(),
  z.array(
    z.object({
      type: z.string().optional(),
      call_count: z.number().optional(),
      total_cputime: z.number().optional(),
      total_time: z.number().optional(),
      // Minutes.
      estimated_time_to_regain_access: z.number().optional(),
    }),
  ),
);

/** @link https://developers.facebook.com/docs/marketing-api/overview/rate-limiting */
const adAccountUsageSchema = z.object({
  acc_id_util_pct: z.number().optional(),
  // Seconds.
  reset_time_duration: z.number().optional(),
});

export type GraphUsage = {
  app?: z.infer<typeof appUsageSchema>;
  business?: z.infer<typeof bucUsageSchema>;
  adAccount?: z.infer<typeof adAccountUsageSchema>;
};

type HeaderSource = Headers | { name: string; value: string }[] | undefined;

function header(source: HeaderSource, name: string): string | undefined {
  if (!source) return undefined;
  if (source instanceof Headers) return source.get(name) ?? undefined;
  return source.find((h) => h.name.toLowerCase() === name)?.value;
}

function parseJson<T>(raw: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (!raw) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The three usage headers, each parsed when present and well-formed (a bad header is ignored). */
export function parseUsageHeaders(source: HeaderSource): GraphUsage {
  const usage: GraphUsage = {};
  const app = parseJson(header(source, "x-app-usage"), appUsageSchema);
  const business = parseJson(header(source, "x-business-use-case-usage"), bucUsageSchema);
  const adAccount = parseJson(header(source, "x-ad-account-usage"), adAccountUsageSchema);
  if (app) usage.app = app;
  if (business) usage.business = business;
  if (adAccount) usage.adAccount = adAccount;
  return usage;
}

export function hasUsage(usage: GraphUsage): boolean {
  return usage.app !== undefined || usage.business !== undefined || usage.adAccount !== undefined;
}

/**
 * Seconds until Meta lets us back in: the largest `estimated_time_to_regain_access` (minutes), else
 * the ad account's reset window when it is at or over 100 %. Undefined when the headers say nothing.
 */
export function retryAfterSeconds(usage: GraphUsage): number | undefined {
  let minutes = 0;
  for (const entries of Object.values(usage.business ?? {})) {
    for (const e of entries) minutes = Math.max(minutes, e.estimated_time_to_regain_access ?? 0);
  }
  if (minutes > 0) return Math.ceil(minutes * 60);
  const acct = usage.adAccount;
  if (acct?.reset_time_duration && (acct.acc_id_util_pct ?? 0) >= 100) return Math.ceil(acct.reset_time_duration);
  return undefined;
}

/** The highest share of any quota the headers report (0–100+), to slow down before Meta throttles. */
export function peakUsagePercent(usage: GraphUsage): number {
  const values: (number | undefined)[] = [usage.app?.call_count, usage.app?.total_cputime, usage.app?.total_time, usage.adAccount?.acc_id_util_pct];
  for (const entries of Object.values(usage.business ?? {})) {
    for (const e of entries) values.push(e.call_count, e.total_cputime, e.total_time);
  }
  return Math.max(0, ...values.filter((v): v is number => typeof v === "number"));
}
