import { db } from "@/server/db";
import { disconnectConnection } from "@/server/connections/disconnect-connection";
import { connectionIdParam } from "@/server/connections/schema";
import { userParamMutation } from "@/server/http/user-routes";

export const POST = userParamMutation<{ id: string }, typeof connectionIdParam>(connectionIdParam, (userId, { id }) => disconnectConnection(db(), { userId, connectionId: id }));
