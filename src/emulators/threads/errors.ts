import { defaultStatus, errorBody, GraphError } from "../meta/errors";
import { json } from "../oauth2/respond";

/** Meta's Graph error envelope, as Threads answers it (§6): branch on code / error_subcode. */

export function graphError(code: number, message: string, o: { subcode?: number; isTransient?: boolean; status?: number } = {}): Response {
  const e = new GraphError({ code, message, subcode: o.subcode, isTransient: o.isTransient, status: o.status ?? defaultStatus(code) });
  return json(errorBody(e), e.status);
}

export const cannotParse = () => graphError(190, "Invalid OAuth access token - Cannot parse access token");

function pacific(ms: number): string {
  const d = new Date(ms - 8 * 3600_000);
  const days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const p = (n: number) => String(n).padStart(2, "0");
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())}-${months[d.getUTCMonth()]}-${String(d.getUTCFullYear()).slice(2)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} PST`;
}

export const sessionExpired = (expiredAt: number, now: number) =>
  graphError(190, `Error validating access token: Session has expired on ${pacific(expiredAt)}. The current time is ${pacific(now)}.`, { subcode: 463 });

export const appRemoved = (appId: string) => graphError(190, `Error validating access token: The user has not authorized application ${appId}.`, { subcode: 458 });

export const noPermission = () => graphError(10, "(#10) Application does not have permission for this action");

export const throttled = () => graphError(4, "(#4) Application request limit reached", { isTransient: true });

export const unexpected = () => graphError(2, "An unexpected error has occurred. Please retry your request later.", { isTransient: true });

export const badSecret = () => graphError(1, "Error validating client secret.");
