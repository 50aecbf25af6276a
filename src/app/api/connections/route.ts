import { db } from "@/server/db";
import { getConnectionsOverview } from "@/server/connections/list-connections";
import { statusQuery } from "@/server/connections/schema";
import { userQuery } from "@/server/http/user-routes";

export const GET = userQuery(statusQuery, (userId) => getConnectionsOverview(db(), userId));
