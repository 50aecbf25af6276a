import { db } from "@/server/db";
import { opsMutation } from "@/server/ops/ops-routes";
import { requestRelink } from "@/server/ops/request-relink";
import { connectionIdParam } from "@/server/ops/schema";

/** POST /api/ops/connections/{id}/request-relink — OPS/ADMIN only, same-origin. */
export const POST = opsMutation<{ id: string }, typeof connectionIdParam>(connectionIdParam, (actorId, { id }) =>
  requestRelink(db(), { connectionId: id, actorId }),
);
