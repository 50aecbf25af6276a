import "server-only";
import type { Db } from "@/server/db";

/**
 * Failed sign-ins are counted per email in the database (not memory: it holds across restarts and
 * across server processes). After FREE_FAILURES within the window, each further failure doubles a
 * block, capped at MAX_BLOCK. A success clears the counter. Unknown emails are counted too, so the
 * limiter reveals nothing about which emails exist.
 */
export const FREE_FAILURES = 5;
const WINDOW_MS = 15 * 60_000;
const BASE_BLOCK_MS = 30_000;
const MAX_BLOCK_MS = 15 * 60_000;

export async function secondsUntilAllowed(prisma: Db, email: string, now = new Date()): Promise<number> {
  const row = await prisma.loginThrottle.findUnique({ where: { key: email } });
  if (!row?.blockedUntil || row.blockedUntil <= now) return 0;
  return Math.ceil((row.blockedUntil.getTime() - now.getTime()) / 1000);
}

export async function recordFailedSignIn(prisma: Db, email: string, now = new Date()): Promise<void> {
  const row = await prisma.loginThrottle.findUnique({ where: { key: email } });
  const fresh = !row || now.getTime() - row.windowStart.getTime() > WINDOW_MS;
  const failures = fresh ? 1 : row.failures + 1;
  const over = failures - FREE_FAILURES;
  const blockedUntil = over > 0 ? new Date(now.getTime() + Math.min(BASE_BLOCK_MS * 2 ** (over - 1), MAX_BLOCK_MS)) : null;
  await prisma.loginThrottle.upsert({
    where: { key: email },
    create: { key: email, failures, windowStart: now, blockedUntil },
    update: { failures, windowStart: fresh ? now : undefined, blockedUntil },
  });
}

export async function clearFailedSignIns(prisma: Db, email: string): Promise<void> {
  await prisma.loginThrottle.deleteMany({ where: { key: email } });
}
