import { NextResponse } from "next/server";
import type { z } from "zod";
import { assertCleanInput, readQuery } from "@/server/http/read-input";
import { route } from "@/server/http/respond";
import { assertSameOrigin } from "@/server/http/same-origin";
import { requireOpsUserId } from "@/server/users/require-user";

/**
 * Ops route handlers: OPS/ADMIN re-read from the database (401 signed out, 403 USER), zod-parsed
 * input, one call. Mutations refuse cross-site requests first, like every cookie-authenticated one.
 */
export function opsQuery<S extends z.ZodType>(schema: S, run: (actorId: string, input: z.output<S>) => Promise<unknown>) {
  return route(async (request: Request) => {
    const actorId = await requireOpsUserId();
    const input = schema.parse(readQuery(request));
    return NextResponse.json(await run(actorId, input));
  });
}

export function opsMutation<P, S extends z.ZodType>(paramsSchema: S, run: (actorId: string, params: z.output<S>) => Promise<unknown>) {
  return route(async (request: Request, context: { params: Promise<P> }) => {
    assertSameOrigin(request);
    const actorId = await requireOpsUserId();
    const raw = await context.params;
    assertCleanInput(raw);
    const params = paramsSchema.parse(raw);
    return NextResponse.json(await run(actorId, params));
  });
}
