import { NextResponse } from "next/server";
import { refuseSandboxControl } from "@/server/http/sandbox-gate";
import { mountedSandbox } from "@/server/integrations/facebook/sandbox-mount";

// The Meta sandbox (Login dialog + Graph API), served only when sandbox mode is on.
async function handle(request: Request): Promise<Response> {
  const sandbox = mountedSandbox();
  if (!sandbox) {
    return NextResponse.json(
      { error: { code: "NOT_FOUND", message: "The Meta sandbox is off.", hint: "It runs in development and tests when META_APP_ID is unset, or with META_SANDBOX=1; never in production." } },
      { status: 404 },
    );
  }
  return refuseSandboxControl(request) ?? sandbox(request);
}

export const dynamic = "force-dynamic";
export { handle as GET, handle as POST, handle as DELETE };
