-- Data-deletion records now keep an HMAC (keyed with a server secret) of the Meta user id. The
-- unsalted SHA-256 kept so far can be reversed by hashing guessed ids, and cannot be re-keyed
-- without the id, so it is erased; the rest of each record (code, counts, dates) stays.

-- AlterTable
ALTER TABLE "meta_data_deletion_requests" ALTER COLUMN "meta_user_id_hash" DROP NOT NULL;

UPDATE "meta_data_deletion_requests" SET "meta_user_id_hash" = NULL;
