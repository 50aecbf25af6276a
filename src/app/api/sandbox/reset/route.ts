import { NextResponse } from "next/server";
import { db } from "@/server/db";
import { route } from "@/server/http/respond";
import { assertSameOrigin } from "@/server/http/same-origin";
import { resetSandboxes } from "@/server/sandbox/reset-sandboxes";

/** POST /api/sandbox/reset — development with sandbox mode only; same-origin. */
export const POST = route(async (request: Request) => {
  assertSameOrigin(request);
  return NextResponse.json(await resetSandboxes(db()));
});
