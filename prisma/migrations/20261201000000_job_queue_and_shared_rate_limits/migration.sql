-- The job queue (pg-boss keeps its jobs in its own schema): recurring-job slots replace the sweep's
-- row lease; rate-limit state and in-flight insights report runs shared by every process.
-- docs/decisions/020-job-queue-pg-boss.md, docs/decisions/021-shared-rate-limits.md

-- DropTable
DROP TABLE "job_leases";

-- CreateTable
CREATE TABLE "job_schedules" (
    "name" TEXT NOT NULL,
    "slot_at" TIMESTAMP(3) NOT NULL,
    "job_id" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "job_schedules_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "rate_limits" (
    "key" TEXT NOT NULL,
    "blocked_until" TIMESTAMP(3),
    "usage_percent" DOUBLE PRECISION,
    "reason" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "insights_report_runs" (
    "id" TEXT NOT NULL,
    "ad_account_row_id" TEXT NOT NULL,
    "since" TEXT NOT NULL,
    "until" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "run_id" TEXT,
    "claim" TEXT NOT NULL,
    "started_at" TIMESTAMP(3) NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "insights_report_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "insights_report_runs_run_id_idx" ON "insights_report_runs"("run_id");

-- CreateIndex
CREATE INDEX "insights_report_runs_updated_at_idx" ON "insights_report_runs"("updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "insights_report_runs_ad_account_row_id_since_until_key" ON "insights_report_runs"("ad_account_row_id", "since", "until");

