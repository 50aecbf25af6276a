import { z } from "zod";
import { healthSchema } from "@/server/health/health-state";

/** Inputs of the ops routes, pages and CLI (one place, shared). */

// "7", "7d" → 7. The CLI and query strings both say days.
const days = z
  .string()
  .trim()
  .regex(/^\d{1,3}d?$/, 'must be a number of days, like "7" or "7d"')
  .transform((v) => Number.parseInt(v, 10))
  .pipe(z.number().int().min(0).max(365));

export const opsConnectionsQuery = z.strictObject({
  health: healthSchema.optional(),
  withinDays: days.optional(),
  cursor: z.string().min(1).max(64).optional(),
  limit: z
    .string()
    .regex(/^\d{1,4}$/)
    .transform((v) => Number.parseInt(v, 10))
    .pipe(z.number().int().min(1).max(500))
    .optional(),
});
export type OpsConnectionsQuery = z.output<typeof opsConnectionsQuery>;

export const connectionIdParam = z.strictObject({ id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/) });
