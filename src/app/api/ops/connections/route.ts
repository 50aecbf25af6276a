import { env } from "@/env";
import { db } from "@/server/db";
import { listOpsConnections } from "@/server/ops/list-ops-connections";
import { opsConnectionsQuery } from "@/server/ops/schema";
import { opsQuery } from "@/server/ops/ops-routes";

/** GET /api/ops/connections?health=&withinDays=&cursor=&limit= — OPS/ADMIN only; never a token. */
export const GET = opsQuery(opsConnectionsQuery, (_actorId, query) =>
  listOpsConnections(db(), query, { now: new Date(), expiringDays: env().health.expiringDays }),
);
