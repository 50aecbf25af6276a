import { db } from "@/server/db";
import { refreshConnection } from "@/server/connections/refresh-connection";
import { connectionIdParam } from "@/server/connections/schema";
import { userParamMutation } from "@/server/http/user-routes";

export const POST = userParamMutation<{ id: string }, typeof connectionIdParam>(connectionIdParam, (userId, { id }) => refreshConnection(db(), { userId, connectionId: id }));
