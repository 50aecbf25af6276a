import { db } from "@/server/db";
import { syncConnection } from "@/server/connections/sync-connection";
import { connectionIdParam } from "@/server/connections/schema";
import { userParamMutation } from "@/server/http/user-routes";

export const POST = userParamMutation<{ id: string }, typeof connectionIdParam>(connectionIdParam, (userId, { id }) => syncConnection(db(), { userId, connectionId: id }));
