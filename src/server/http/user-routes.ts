import { NextResponse } from "next/server";
import type { z } from "zod";
import { requireUserId } from "@/server/users/require-user";
import { readJson, readQuery } from "./read-input";
import { route } from "./respond";
import { assertSameOrigin } from "./same-origin";

/** GET for the signed-in user: session check, zod-parse the query, one call, respond. */
export function userQuery<S extends z.ZodType>(schema: S, run: (userId: string, input: z.output<S>) => Promise<unknown>) {
  return route(async (request: Request) => {
    const userId = await requireUserId();
    const input = schema.parse(readQuery(request));
    return NextResponse.json(await run(userId, input));
  });
}

/** Cookie-authenticated JSON mutation: same-origin check, session check, zod-parse the body, one call. */
export function userMutation<S extends z.ZodType>(schema: S, run: (userId: string, input: z.output<S>) => Promise<unknown>) {
  return route(async (request: Request) => {
    assertSameOrigin(request);
    const userId = await requireUserId();
    const input = schema.parse(await readJson(request));
    return NextResponse.json(await run(userId, input));
  });
}
