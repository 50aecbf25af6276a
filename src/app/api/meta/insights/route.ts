import { db } from "@/server/db";
import { getInsights } from "@/server/insights/get-insights";
import { insightsQuery } from "@/lib/insights/schema";
import { userQuery } from "@/server/http/user-routes";

export const GET = userQuery(insightsQuery, (userId, q) => getInsights(db(), userId, q.adAccountId, q.range, { force: q.force, runId: q.runId }));
