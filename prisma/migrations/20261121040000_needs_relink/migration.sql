-- A token the platform no longer recognises (190 without a subcode: "Cannot parse access token",
-- e.g. after a sandbox reset) needs a new login, like an expired one: a status of its own, so it
-- does not read as a passing "error". IF NOT EXISTS keeps it safe to meet the value twice.
ALTER TYPE "ConnectionStatus" ADD VALUE IF NOT EXISTS 'needs_relink';
