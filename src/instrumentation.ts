/**
 * Next's start-up hook. Stamps every request with its TCP peer address (src/server/http/client-address.ts),
 * then starts the job workers (and with them the recurring jobs, like the health sweep) in the
 * Node.js server only: not in the Edge runtime (no database driver there; the `NEXT_RUNTIME` test is
 * what lets Next leave the import out of the Edge bundle) and not while `next build` loads the app
 * to collect pages (a build must never talk to Meta or the database).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NEXT_PHASE !== "phase-production-build") {
    const { installPeerAddressStamp } = await import("./server/http/client-address");
    installPeerAddressStamp();
    const { startServerJobs } = await import("./server/jobs/job-runtime");
    await startServerJobs();
  }
}
