import { db } from "@/server/db";
import { syncAdAccounts } from "@/server/ad-accounts/sync-ad-accounts";
import { syncAdAccountsInput } from "@/server/ad-accounts/schema";
import { userMutation } from "@/server/http/user-routes";

export const POST = userMutation(syncAdAccountsInput, (userId, body) => syncAdAccounts(db(), userId, body));
