import { NextResponse } from "next/server";
import { db } from "@/server/db";
import { route } from "@/server/http/respond";
import { assertLoopbackClient } from "@/server/http/sandbox-gate";
import { assertSameOrigin } from "@/server/http/same-origin";
import { resetSandboxes } from "@/server/sandbox/reset-sandboxes";

/** POST /api/sandbox/reset — development with sandbox mode only; same-origin, from this machine only. */
export const POST = route(async (request: Request) => {
  assertSameOrigin(request);
  return NextResponse.json(await resetSandboxes(db(), () => assertLoopbackClient(request)));
});
