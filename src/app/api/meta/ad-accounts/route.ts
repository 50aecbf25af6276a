import { db } from "@/server/db";
import { listAdAccounts } from "@/server/ad-accounts/list-ad-accounts";
import { listAdAccountsQuery } from "@/server/ad-accounts/schema";
import { userQuery } from "@/server/http/user-routes";

export const GET = userQuery(listAdAccountsQuery, (userId, query) => listAdAccounts(db(), userId, query));
