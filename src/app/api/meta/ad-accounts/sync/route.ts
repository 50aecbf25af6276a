import { db } from "@/server/db";
import { syncAdAccounts } from "@/server/ad-accounts/sync-ad-accounts";
import { connectionIdBody } from "@/server/connections/schema";
import { userMutation } from "@/server/http/user-routes";

export const POST = userMutation(connectionIdBody, (userId, body) => syncAdAccounts(db(), userId, body));
