import { NextResponse } from "next/server";
import { refuseSandboxControl } from "@/server/http/sandbox-gate";
import { mountedEmulator } from "@/server/sandbox/mount";

// A provider's sandbox (login dialog + API), served only while that provider's sandbox is on.
async function handle(request: Request, context: { params: Promise<{ provider: string }> }): Promise<Response> {
  const { provider } = await context.params;
  const emulator = /^[a-z0-9-]{1,40}$/.test(provider) ? await mountedEmulator(provider) : null;
  if (!emulator) {
    return NextResponse.json(
      {
        error: {
          code: "NOT_FOUND",
          message: `The ${provider} sandbox is off.`,
          hint: "A sandbox runs in development and tests when its provider has no credentials (see docs/sandbox.md); never in production.",
        },
      },
      { status: 404 },
    );
  }
  // A sandbox lives on the app's own origin, so Next's router may try to fetch it as a page of the
  // app (after a server action redirects to a dialog). Answering that fetch with a plain page makes
  // the router load the URL as a real browser visit — as it would a provider on its own domain — so
  // the dialog's redirects and cookies happen in the address bar, not inside a fetch.
  if (request.headers.get("rsc") === "1") return new Response("", { status: 200, headers: { "content-type": "text/html; charset=utf-8" } });
  // Controls (`/_control/…`) answer only in development and only to loopback clients.
  return refuseSandboxControl(request) ?? emulator.handle(request);
}

export const dynamic = "force-dynamic";
export { handle as GET, handle as POST, handle as DELETE };
