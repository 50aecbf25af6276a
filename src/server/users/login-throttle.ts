import { Prisma } from "@prisma/client";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";

/**
 * Attempt limits for sign-in and registration (docs/decisions/016-attempt-limits.md), counted in the
 * database (they hold across restarts and server processes). An attempt is *reserved* before the
 * password is hashed, in one `INSERT … ON CONFLICT DO UPDATE … RETURNING`: the row lock makes
 * parallel attempts queue, so N concurrent guesses cost N reservations, not one read of an empty
 * counter. The reservation that reaches `limit` in a window starts a pause (doubling on each further
 * one, capped); while paused, the statement's WHERE matches nothing, returns no row, and the attempt
 * is refused without touching the row.
 */
export type AttemptPolicy = { name: string; limit: number; windowMs: number; pauseMs: number; maxPauseMs: number };

const MINUTE = 60_000;
export const SIGN_IN_PER_EMAIL: AttemptPolicy = { name: "sign-in:email", limit: 5, windowMs: 15 * MINUTE, pauseMs: 30_000, maxPauseMs: 15 * MINUTE };
export const SIGN_IN_PER_IP: AttemptPolicy = { name: "sign-in:ip", limit: 20, windowMs: 15 * MINUTE, pauseMs: MINUTE, maxPauseMs: 15 * MINUTE };
/** Every sign-in, from anywhere: a ceiling on the CPU argon2 may take (limit: SIGN_IN_MAX_PER_MINUTE). */
export const signInGlobal = (limit: number): AttemptPolicy => ({ name: "sign-in:all", limit, windowMs: MINUTE, pauseMs: 5_000, maxPauseMs: MINUTE });
export const REGISTER_PER_IP: AttemptPolicy = { name: "register:ip", limit: 20, windowMs: 60 * MINUTE, pauseMs: 5 * MINUTE, maxPauseMs: 60 * MINUTE };

/** `timestamp(3)` columns hold UTC wall time (Prisma's convention); pass times the same way. */
const utc = (date: Date) => date.toISOString().replace("T", " ").replace("Z", "");

export type Reservation = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export async function reserveAttempt(db: Db, policy: AttemptPolicy, subject: string, now = new Date()): Promise<Reservation> {
  const key = `${policy.name}:${subject}`;
  const at = utc(now);
  const windowOpen = utc(new Date(now.getTime() - policy.windowMs));
  const count = Prisma.sql`(CASE WHEN t.window_start <= ${windowOpen}::timestamp(3) THEN 1 ELSE t.failures + 1 END)`;
  const pauseFor = (n: Prisma.Sql) =>
    Prisma.sql`CASE WHEN ${n} >= ${policy.limit}
      THEN ${at}::timestamp(3) + make_interval(secs => LEAST(${policy.pauseMs / 1000}::float8 * power(2, LEAST(${n} - ${policy.limit}, 30)), ${policy.maxPauseMs / 1000}::float8))
      ELSE NULL END`;
  const reserved = await db.$queryRaw<{ failures: number }[]>`
    INSERT INTO login_throttles AS t (key, failures, window_start, blocked_until)
    VALUES (${key}, 1, ${at}::timestamp(3), ${pauseFor(Prisma.sql`1`)})
    ON CONFLICT (key) DO UPDATE SET
      failures = ${count},
      window_start = CASE WHEN t.window_start <= ${windowOpen}::timestamp(3) THEN ${at}::timestamp(3) ELSE t.window_start END,
      blocked_until = ${pauseFor(count)}
    WHERE t.blocked_until IS NULL OR t.blocked_until <= ${at}::timestamp(3)
    RETURNING failures`;
  if (reserved.length > 0) return { allowed: true };
  const row = await db.loginThrottle.findUnique({ where: { key }, select: { blockedUntil: true } });
  const wait = row?.blockedUntil ? Math.ceil((row.blockedUntil.getTime() - now.getTime()) / 1000) : 1;
  return { allowed: false, retryAfterSeconds: Math.max(1, wait) };
}

/** Reserves or throws RATE_LIMITED with a plain message and the wait. */
export async function reserveAttemptOrThrow(db: Db, policy: AttemptPolicy, subject: string, message: string, now = new Date()): Promise<void> {
  const reservation = await reserveAttempt(db, policy, subject, now);
  if (reservation.allowed) return;
  const minutes = Math.ceil(reservation.retryAfterSeconds / 60);
  throw new AppError({
    code: "RATE_LIMITED",
    message,
    hint: `Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    retryAfterSeconds: reservation.retryAfterSeconds,
  });
}

/** After a success: the subject's count starts over. */
export async function clearAttempts(db: Db, policy: AttemptPolicy, subject: string): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key: `${policy.name}:${subject}` } });
}

/** After a success: gives one reserved attempt back (a pause already started stays). */
export async function refundAttempt(db: Db, policy: AttemptPolicy, subject: string): Promise<void> {
  await db.$executeRaw`UPDATE login_throttles SET failures = GREATEST(failures - 1, 0) WHERE key = ${`${policy.name}:${subject}`}`;
}
