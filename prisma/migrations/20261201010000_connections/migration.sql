-- One connection model for every provider (docs/decisions/012-one-connection-model.md).
-- meta_connections becomes connections in place: ids, owners and the ad accounts' foreign keys
-- stay as they are; the Facebook-only columns become provider-neutral ones.

-- CreateEnum
CREATE TYPE "ConnectionState" AS ENUM ('connected', 'permissions_missing', 'needs_relink', 'revoked', 'refresh_failed');

-- Rename the table and everything named after it.
ALTER TABLE "meta_connections" RENAME TO "connections";
ALTER TABLE "connections" RENAME CONSTRAINT "meta_connections_pkey" TO "connections_pkey";
ALTER TABLE "connections" RENAME CONSTRAINT "meta_connections_user_id_fkey" TO "connections_user_id_fkey";
ALTER TABLE "connections" RENAME CONSTRAINT "meta_connections_account_id_fkey" TO "connections_account_id_fkey";
ALTER INDEX "meta_connections_account_id_key" RENAME TO "connections_account_id_key";
ALTER INDEX "meta_connections_user_id_idx" RENAME TO "connections_user_id_idx";
DROP INDEX "meta_connections_status_idx";

-- New columns.
ALTER TABLE "connections" RENAME COLUMN "meta_user_id" TO "external_id";
ALTER TABLE "connections"
    ADD COLUMN "provider" TEXT,
    ADD COLUMN "handle" TEXT,
    ADD COLUMN "avatar_url" TEXT,
    ADD COLUMN "state" "ConnectionState" NOT NULL DEFAULT 'connected',
    ADD COLUMN "details" JSONB,
    ADD COLUMN "refresh_expires_at" TIMESTAMP(3),
    ADD COLUMN "can_refresh" BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN "refresh_lease_until" TIMESTAMP(3),
    ADD COLUMN "token_unreadable_at" TIMESTAMP(3),
    ADD COLUMN "last_synced_at" TIMESTAMP(3),
    ADD COLUMN "last_error_at" TIMESTAMP(3),
    ADD COLUMN "last_error_transient" BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN "stats" JSONB,
    ADD COLUMN "asset_counts" JSONB;

-- Carry today's rows over. The identity is the Account's (the row that holds the token).
-- Old statuses: expired, needs_relink and error (a dead token without a known cause) all need a
-- new login.
UPDATE "connections" AS c SET
    "provider" = a."provider",
    "external_id" = a."provider_account_id",
    "state" = (CASE c."status"
        WHEN 'connected' THEN 'connected'
        WHEN 'permissions_missing' THEN 'permissions_missing'
        WHEN 'revoked' THEN 'revoked'
        ELSE 'needs_relink' END)::"ConnectionState",
    "details" = CASE WHEN c."granular_scopes" IS NULL THEN NULL ELSE jsonb_build_object('granularScopes', c."granular_scopes") END,
    "last_error_at" = CASE WHEN c."last_error_message" IS NULL THEN NULL ELSE COALESCE(c."last_checked_at", c."updated_at") END,
    "last_synced_at" = (SELECT max(m."synced_at") FROM "meta_ad_accounts" AS m WHERE m."connection_id" = c."id"),
    "asset_counts" = jsonb_build_object('adAccounts', (SELECT count(*) FROM "meta_ad_accounts" AS m WHERE m."connection_id" = c."id"))
FROM "accounts" AS a
WHERE a."id" = c."account_id";

ALTER TABLE "connections" ALTER COLUMN "provider" SET NOT NULL;
-- Meta's code and subcode become one provider-neutral code ("190/463").
ALTER TABLE "connections" ALTER COLUMN "last_error_code" TYPE TEXT USING (
    CASE WHEN "last_error_code" IS NULL THEN NULL
         WHEN "last_error_subcode" IS NULL THEN "last_error_code"::text
         ELSE "last_error_code"::text || '/' || "last_error_subcode"::text END);
ALTER TABLE "connections" DROP COLUMN "last_error_subcode", DROP COLUMN "status", DROP COLUMN "granular_scopes";

-- DropEnum
DROP TYPE "ConnectionStatus";

-- CreateIndex
CREATE UNIQUE INDEX "connections_provider_external_id_key" ON "connections"("provider", "external_id");

-- CreateIndex
CREATE INDEX "connections_state_idx" ON "connections"("state");
