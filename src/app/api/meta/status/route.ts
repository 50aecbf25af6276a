import { db } from "@/server/db";
import { getMetaStatus } from "@/server/integrations/facebook/get-meta-status";
import { statusQuery } from "@/server/connections/schema";
import { userQuery } from "@/server/http/user-routes";

export const GET = userQuery(statusQuery, (userId) => getMetaStatus(db(), userId));
