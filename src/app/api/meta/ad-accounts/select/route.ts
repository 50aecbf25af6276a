import { db } from "@/server/db";
import { selectAdAccount } from "@/server/ad-accounts/select-ad-account";
import { selectAdAccountBody } from "@/server/connections/schema";
import { userMutation } from "@/server/http/user-routes";

export const POST = userMutation(selectAdAccountBody, async (userId, body) => ({ selected: await selectAdAccount(db(), userId, body) }));
