-- Connection health: job leases (one sweep at a time), sweep runs, Meta data deletion requests.
-- docs/decisions/010-connection-health-and-sweep.md

-- CreateTable
CREATE TABLE "job_leases" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "acquired_at" TIMESTAMP(3) NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "job_leases_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "health_sweep_runs" (
    "id" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "started_at" TIMESTAMP(3) NOT NULL,
    "finished_at" TIMESTAMP(3),
    "outcome" TEXT NOT NULL DEFAULT 'running',
    "checked" INTEGER NOT NULL DEFAULT 0,
    "changed" INTEGER NOT NULL DEFAULT 0,
    "unchanged" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "graph_requests" INTEGER NOT NULL DEFAULT 0,
    "waited_ms" INTEGER NOT NULL DEFAULT 0,
    "detail" JSONB,

    CONSTRAINT "health_sweep_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "meta_data_deletion_requests" (
    "id" TEXT NOT NULL,
    "confirmation_code" TEXT NOT NULL,
    "meta_user_id_hash" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "connections_deleted" INTEGER NOT NULL DEFAULT 0,
    "ad_accounts_deleted" INTEGER NOT NULL DEFAULT 0,
    "tokens_deleted" INTEGER NOT NULL DEFAULT 0,
    "requested_at" TIMESTAMP(3) NOT NULL,
    "completed_at" TIMESTAMP(3),

    CONSTRAINT "meta_data_deletion_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "health_sweep_runs_started_at_idx" ON "health_sweep_runs"("started_at");

-- CreateIndex
CREATE UNIQUE INDEX "meta_data_deletion_requests_confirmation_code_key" ON "meta_data_deletion_requests"("confirmation_code");

-- CreateIndex
CREATE INDEX "meta_data_deletion_requests_meta_user_id_hash_idx" ON "meta_data_deletion_requests"("meta_user_id_hash");
