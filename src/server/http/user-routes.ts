import "server-only";
import { NextResponse } from "next/server";
import type { z } from "zod";
import { requireUserId } from "@/server/users/require-user";
import { readJson, route } from "./respond";
import { assertSameOrigin } from "./same-origin";

/** GET for the signed-in user: session check, zod-parse the query, one call, respond. */
export function userQuery<S extends z.ZodType>(schema: S, run: (userId: string, input: z.output<S>) => Promise<unknown>) {
  return route(async (request: Request) => {
    const userId = await requireUserId();
    const input = schema.parse(Object.fromEntries(new URL(request.url).searchParams));
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

/** Cookie-authenticated mutation on a path parameter (`/…/{id}/…`): same-origin, session, zod-parse the params, one call. */
export function userParamMutation<P, S extends z.ZodType>(paramsSchema: S, run: (userId: string, params: z.output<S>) => Promise<unknown>) {
  return route(async (request: Request, context: { params: Promise<P> }) => {
    assertSameOrigin(request);
    const userId = await requireUserId();
    const params = paramsSchema.parse(await context.params);
    return NextResponse.json(await run(userId, params));
  });
}
