import { GraphError } from "./errors";
import type { GraphRequest } from "./http";

/** Cursor paging as Graph does it: opaque cursors, absolute next/previous URLs embedding the token. */

const PREFIX = "AQHR";

export function encodeCursor(position: number): string {
  return Buffer.from(`${PREFIX}${position.toString(36).padStart(6, "0")}`).toString("base64url");
}

export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const n = text.startsWith(PREFIX) ? parseInt(text.slice(PREFIX.length), 36) : NaN;
  if (!Number.isInteger(n) || n < 0) {
    throw new GraphError({ code: 100, message: "(#100) The after cursor is invalid or expired" });
  }
  return n;
}

export function parseLimit(req: GraphRequest, fallback = 25, max = 5000): number {
  const raw = req.params.limit;
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new GraphError({ code: 100, message: "(#100) Param limit must be a non-negative integer" });
  return Math.min(Math.max(n, 1), max);
}

function pageUrl(req: GraphRequest, extra: Record<string, string>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query)) {
    if (k === "after" || k === "before" || k === "access_token" || k === "limit") continue;
    q.set(k, v);
  }
  // Form-body params (e.g. SDK JSON bodies, batch items) are carried into the URL as Graph does.
  for (const k of ["fields", "summary", "date_preset", "time_range", "time_increment", "level", "breakdowns", "search_query", "appsecret_proof", "appsecret_time"]) {
    const v = req.params[k];
    if (v !== undefined && !q.has(k)) q.set(k, v);
  }
  if (req.token) q.set("access_token", req.token);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  const version = req.version ? `/${req.version}` : "";
  return `${req.base}${version}${req.path}?${q.toString()}`;
}

export type Page<T> = { data: T[]; paging?: Record<string, unknown>; summary?: Record<string, unknown> };

/**
 * One page over a lazily indexed list. Some middle pages are one item short, as Meta's privacy
 * filtering makes them: only the absence of `next` ends a list.
 */
export function paginate<T>(
  req: GraphRequest,
  total: number,
  itemAt: (position: number) => T,
  o: { defaultLimit?: number; maxLimit?: number; shortPages?: boolean } = {},
): Page<T> {
  const limit = parseLimit(req, o.defaultLimit ?? 25, o.maxLimit ?? 5000);
  let start = 0;
  let end: number;
  if (req.params.before) {
    end = Math.min(decodeCursor(req.params.before), total);
    start = Math.max(0, end - limit);
  } else {
    start = req.params.after ? decodeCursor(req.params.after) + 1 : 0;
    let size = limit;
    const pageNo = Math.floor(start / Math.max(limit, 1));
    if ((o.shortPages ?? true) && limit > 1 && start > 0 && total > 3 * limit && pageNo % 4 === 2) size = limit - 1;
    end = Math.min(start + size, total);
  }
  const data: T[] = [];
  for (let pos = start; pos < end; pos++) data.push(itemAt(pos));
  const page: Page<T> = { data };
  if (data.length > 0) {
    const paging: Record<string, unknown> = { cursors: { before: encodeCursor(start), after: encodeCursor(end - 1) } };
    if (end < total) paging.next = pageUrl(req, { limit: String(limit), after: encodeCursor(end - 1) });
    if (start > 0) paging.previous = pageUrl(req, { limit: String(limit), before: encodeCursor(start) });
    page.paging = paging;
  }
  if (req.params.summary?.split(",").includes("total_count")) page.summary = { total_count: total };
  return page;
}
