-- Meta callbacks already processed, by signature, until they are too old to be accepted anyway
-- (docs/security.md: replayed callbacks).

-- CreateTable
CREATE TABLE "meta_callback_receipts" (
    "signature_hash" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "response" JSONB,

    CONSTRAINT "meta_callback_receipts_pkey" PRIMARY KEY ("signature_hash")
);

-- CreateIndex
CREATE INDEX "meta_callback_receipts_expires_at_idx" ON "meta_callback_receipts"("expires_at");
