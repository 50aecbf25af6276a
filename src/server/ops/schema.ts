import "server-only";
import { z } from "zod";
import { CONNECTION_STATUSES, connectionStatusSchema } from "@/lib/connection-status";

/** Inputs of the ops routes, pages and CLI (one place, shared). */

// "7", "7d" → 7. The CLI and query strings both say days.
const days = z
  .string()
  .trim()
  .regex(/^\d{1,3}d?$/, 'must be a number of days, like "7" or "7d"')
  .transform((v) => Number.parseInt(v, 10))
  .pipe(z.number().int().min(0).max(365));

export const opsConnectionsQuery = z.strictObject({
  // "expired" is the older name of needs_relink, still accepted.
  health: z
    .enum([...CONNECTION_STATUSES, "expired"])
    .transform((v) => (v === "expired" ? "needs_relink" : v))
    .pipe(connectionStatusSchema)
    .optional(),
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

export { connectionIdParam } from "@/server/connections/schema";
