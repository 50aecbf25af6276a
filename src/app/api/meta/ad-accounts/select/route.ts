import { db } from "@/server/db";
import { selectAdAccount } from "@/server/ad-accounts/select-ad-account";
import { selectAdAccountInput } from "@/server/ad-accounts/schema";
import { userMutation } from "@/server/http/user-routes";

export const POST = userMutation(selectAdAccountInput, async (userId, body) => ({ selected: await selectAdAccount(db(), userId, body) }));
