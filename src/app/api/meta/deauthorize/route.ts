import { metaCallback } from "@/server/meta-callbacks/callback-route";
import { deauthorizeMetaUser } from "@/server/meta-callbacks/deauthorize-meta-user";

/** Meta's Deauthorize callback (register `{AUTH_URL}/api/meta/deauthorize` in the Meta app). */
export const POST = metaCallback(async (tx, payload, { now, issuedAt }) => {
  await deauthorizeMetaUser(tx, { metaUserId: payload.user_id, now, issuedAt });
  return { ok: true };
}, "deauthorize");
