-- Daily insights cache per ad-account row (docs/insights.md, docs/decisions/011-insights-cache.md).

-- CreateTable
CREATE TABLE "meta_insights_daily" (
    "id" TEXT NOT NULL,
    "ad_account_row_id" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "spend" DOUBLE PRECISION NOT NULL,
    "impressions" INTEGER NOT NULL,
    "reach" INTEGER NOT NULL,
    "clicks" INTEGER NOT NULL,
    "ctr" DOUBLE PRECISION,
    "cpc" DOUBLE PRECISION,
    "cpm" DOUBLE PRECISION,
    "conversions" DOUBLE PRECISION NOT NULL,
    "purchase_value" DOUBLE PRECISION NOT NULL,
    "purchase_roas" DOUBLE PRECISION,
    "raw_actions" JSONB,
    "currency" TEXT NOT NULL,
    "fetched_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "meta_insights_daily_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "meta_insights_daily_ad_account_row_id_date_key" ON "meta_insights_daily"("ad_account_row_id", "date");

-- AddForeignKey
ALTER TABLE "meta_insights_daily" ADD CONSTRAINT "meta_insights_daily_ad_account_row_id_fkey" FOREIGN KEY ("ad_account_row_id") REFERENCES "meta_ad_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
