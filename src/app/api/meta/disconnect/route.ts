import { db } from "@/server/db";
import { disconnectConnection } from "@/server/connections/disconnect-connection";
import { connectionIdBody } from "@/server/connections/schema";
import { userMutation } from "@/server/http/user-routes";

export const POST = userMutation(connectionIdBody, (userId, body) => disconnectConnection(db(), { userId, ...body }));
