import { env } from "@/env";
import { AppError } from "@/server/errors";
import { peerAddress } from "./client-address";
import { isLoopbackAddress } from "./loopback";
import { errorResponse } from "./respond";

/**
 * Sandbox control endpoints (`/sandbox/<provider>/_control/…`) move clocks, mint tokens and sign
 * callbacks, so they answer only in development and only to a client on this machine's loopback —
 * judged by the TCP peer, never by a forwarded header (`next dev` listens on every interface). The
 * rest of a sandbox (the stand-in login dialog and API) is served as usual.
 */
export function refuseSandboxControl(request: Request): Response | null {
  if (!/\/_control(\/|$)/.test(new URL(request.url).pathname)) return null;
  if (env().nodeEnv === "development" && isLoopbackAddress(peerAddress(request))) return null;
  return errorResponse(notLocal());
}

/**
 * The peer half of that rule for the app's own sandbox actions (Reset sandbox), whose callers
 * already refuse production: the request must come from this machine's loopback.
 */
export function assertLoopbackClient(request: Request): void {
  if (!isLoopbackAddress(peerAddress(request))) throw notLocal();
}

const notLocal = () =>
  new AppError({
    code: "FORBIDDEN",
    message: "Sandbox controls answer only in development, and only on this machine.",
    hint: "Call them from the machine running `npm run dev`, at http://localhost.",
  });
