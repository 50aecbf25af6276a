import { env } from "@/env";
import { metaCallback } from "@/server/meta-callbacks/callback-route";
import { deleteMetaUserData } from "@/server/meta-callbacks/delete-meta-user-data";

/** Meta's Data Deletion Request callback (register `{AUTH_URL}/api/meta/data-deletion`): answers `{ url, confirmation_code }`. */
export const POST = metaCallback(
  (tx, payload, { now, issuedAt }) => deleteMetaUserData(tx, { metaUserId: payload.user_id, now, issuedAt, baseUrl: env().authUrl, hashSecret: env().authSecret }),
  "data_deletion",
);
