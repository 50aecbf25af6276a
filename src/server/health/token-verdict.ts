import type { ConnectionStatus } from "@prisma/client";
import type { AuditAction } from "@/server/audit/record-audit-event";
import { classifyMetaError, scrubSecrets } from "@/server/integrations/facebook/errors";

/**
 * What a Meta error means for the connection that made the call (reference §2.6, §6.2).
 * Only answers that say the token or a permission is gone change a connection: throttles, 5xx,
 * timeouts and our own request mistakes never do, because flipping a healthy connection on a
 * transient failure makes users re-link for nothing.
 */
export type TokenVerdict = {
  status: Exclude<ConnectionStatus, "connected">;
  audit: Extract<AuditAction, "token_expired" | "revoked">;
  code: number;
  subcode: number | null;
  message: string;
};

// The token ran out (or data access lapsed): natural end of life.
const EXPIRED_SUBCODES = new Set([463, 493]);
// Someone ended it early: app removed, password changed, logged out, killed by API, Page role lost.
const REVOKED_SUBCODES = new Set([458, 460, 466, 467, 492]);
// No subcode: Meta does not know the token at all ("Cannot parse access token", "could not be
// decrypted", a bad signature — §2.6), e.g. a sandbox that was reset. Only a new login helps.
const UNKNOWN_TOKEN_CODES = new Set([190, 102]);

export function verdictForMetaError(e: { code: number; subcode?: number | null; message: string; httpStatus?: number }): TokenVerdict | null {
  const subcode = e.subcode ?? null;
  const kind = classifyMetaError({ code: e.code, subcode: subcode ?? undefined, httpStatus: e.httpStatus });
  const message = scrubSecrets(e.message).slice(0, 500);
  if (kind === "token") {
    if (subcode !== null && EXPIRED_SUBCODES.has(subcode)) return { status: "expired", audit: "token_expired", code: e.code, subcode, message };
    if (subcode !== null && REVOKED_SUBCODES.has(subcode)) return { status: "revoked", audit: "revoked", code: e.code, subcode, message };
    if (subcode === null && UNKNOWN_TOKEN_CODES.has(e.code)) return { status: "needs_relink", audit: "token_expired", code: e.code, subcode, message };
    // A checkpoint (459/464) or another subcode: dead for now, the reason is in the error.
    return { status: "error", audit: "token_expired", code: e.code, subcode, message };
  }
  // A revoked permission (code 10, 200-299). 100/33 is one object gone, not the connection.
  if (kind === "permission" && !(e.code === 100 && subcode === 33)) {
    return { status: "permissions_missing", audit: "revoked", code: e.code, subcode, message };
  }
  return null;
}
