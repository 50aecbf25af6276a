import "server-only";
import { env } from "@/env";
import { db } from "@/server/db";
import { logger } from "@/server/logger";
import { sweepConnections } from "./sweep-connections";

/**
 * The sweep inside the server process, every HEALTH_SWEEP_INTERVAL_MINUTES (0 = off). Every
 * server instance runs this timer; the row lease makes all but one skip each round, so scaling
 * out never doubles the Graph traffic. The first round waits a minute (plus jitter, so
 * instances started together do not race for the lease at the same instant) to keep start-up
 * quick. Timers are unref'd: they never keep a stopping process alive.
 */
const holder = globalThis as unknown as { __linkboardHealthSchedule?: boolean };

export function startHealthSchedule(): void {
  if (holder.__linkboardHealthSchedule) return;
  const config = env();
  const minutes = config.health.sweepIntervalMinutes;
  if (minutes === 0) {
    logger.info("health sweep schedule is off (HEALTH_SWEEP_INTERVAL_MINUTES=0)");
    return;
  }
  if (!config.databaseUrl) {
    logger.warn("health sweep schedule not started: DATABASE_URL is not set (start with npm run dev / npm start)");
    return;
  }
  holder.__linkboardHealthSchedule = true;
  let running = false;
  const runOnce = async () => {
    if (running) return;
    running = true;
    try {
      const summary = await sweepConnections(db(), { trigger: "schedule" });
      if (!summary.ran) logger.info({ reason: summary.reason }, "health sweep skipped: another process holds the lease");
    } catch (error) {
      logger.warn({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, "scheduled health sweep failed");
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => {
    void runOnce();
    setInterval(() => void runOnce(), minutes * 60_000).unref();
  }, 60_000 + Math.floor(Math.random() * 30_000));
  first.unref();
  logger.info({ everyMinutes: minutes }, "health sweep scheduled");
}
