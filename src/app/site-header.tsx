import Link from "next/link";
import { auth, signOut } from "@/auth";
import { SandboxResetButton } from "@/components/sandbox-reset-button";
import { env } from "@/env";
import { db } from "@/server/db";
import { registry } from "@/server/integrations/registry";
import { sandboxResetForgets } from "@/server/sandbox/mount";

/** The page header (a server component: it reads the session, the role and the sandbox state). */
export async function SiteHeader() {
  // auth() first: it reads the request, so a build never gets as far as reading the configuration.
  const session = await auth();
  const sandboxed = registry.all().filter((a) => a.settings().sandbox).map((a) => a.name);
  const resetForgets = sandboxed.length > 0 && env().nodeEnv !== "production" ? await sandboxResetForgets() : null;
  const user = session?.user;
  // The role is read from the database so a promotion or demotion shows at once.
  const role = user?.id ? (await db().user.findUnique({ where: { id: user.id }, select: { role: true } }))?.role : undefined;
  const canOps = role === "OPS" || role === "ADMIN";
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
        <Link href="/" className="text-lg font-semibold tracking-tight">
          Linkboard
        </Link>
        {sandboxed.length > 0 && (
          <div className="flex items-center gap-2">
            <span className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-800" title={`Simulated by built-in sandboxes: ${sandboxed.join(", ")}`}>
              Sandbox
            </span>
            {/* Never offered on a production server; the route refuses there too. */}
            {resetForgets && <SandboxResetButton forgets={resetForgets} />}
          </div>
        )}
        {user && (
          <nav aria-label="Main" className="flex gap-4 text-sm">
            <Link href="/dashboard" className="hover:underline">
              Dashboard
            </Link>
            <Link href="/settings/connections" className="hover:underline">
              Settings
            </Link>
            {canOps && (
              <Link href="/ops/connections" className="hover:underline">
                Ops
              </Link>
            )}
          </nav>
        )}
        <div className="ml-auto flex items-center gap-3 text-sm">
          {user ? (
            <>
              <span className="text-slate-600" data-testid="signed-in-as">
                {user.email}
              </span>
              <form
                action={async () => {
                  "use server";
                  await signOut({ redirectTo: "/" });
                }}
              >
                <button type="submit" className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100">
                  Sign out
                </button>
              </form>
            </>
          ) : (
            <>
              <Link href="/login" className="hover:underline">
                Sign in
              </Link>
              <Link href="/register" className="rounded-md bg-slate-900 px-3 py-1 text-white hover:bg-slate-700">
                Create account
              </Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}
