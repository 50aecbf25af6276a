import { NextResponse } from "next/server";
import { db } from "@/server/db";
import { readJson } from "@/server/http/read-input";
import { route } from "@/server/http/respond";
import { clientIp } from "@/server/http/client-address";
import { assertSameOrigin } from "@/server/http/same-origin";
import { registerUser } from "@/server/users/register-user";

export const POST = route(async (request: Request) => {
  assertSameOrigin(request);
  const user = await registerUser(db(), await readJson(request), { clientIp: clientIp(request) });
  return NextResponse.json({ user }, { status: 201 });
});
