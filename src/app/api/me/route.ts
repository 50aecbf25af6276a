import { statusQuery } from "@/server/connections/schema";
import { userQuery } from "@/server/http/user-routes";

// The signed-in user's id, from the session alone (no database): what a client checks before it calls more.
export const GET = userQuery(statusQuery, async (userId) => ({ user: { id: userId } }));
