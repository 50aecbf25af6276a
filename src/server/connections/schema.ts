import { z } from "zod";

/** Request bodies of the connection and ad-account routes (shared by routes and server actions). */
export const connectionIdBody = z.strictObject({ connectionId: z.string().min(1).max(64) });

export const statusQuery = z.strictObject({});
