/** Request parsing the Rails way: query and body merged; `name[]` fields become arrays; JSON kept as is. */

export type Params = Record<string, unknown>;

function add(out: Params, key: string, value: string): void {
  if (key.endsWith("[]")) {
    const k = key.slice(0, -2);
    const prev = out[k];
    out[k] = Array.isArray(prev) ? [...prev, value] : [value];
  } else {
    out[key] = value;
  }
}

export async function readParams(req: Request): Promise<Params> {
  const out: Params = {};
  for (const [k, v] of new URL(req.url).searchParams) add(out, k, v);
  if (req.method === "GET" || req.method === "HEAD") return out;
  const type = (req.headers.get("content-type") ?? "").toLowerCase();
  try {
    if (type.includes("application/json")) {
      const text = await req.text();
      const parsed: unknown = text.trim() ? JSON.parse(text) : {};
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) Object.assign(out, parsed);
    } else if (type.includes("multipart/form-data")) {
      for (const [k, v] of (await req.formData()).entries()) if (typeof v === "string") add(out, k, v);
    } else {
      for (const [k, v] of new URLSearchParams(await req.text())) add(out, k, v);
    }
  } catch {
    // An unreadable body counts as no parameters; the endpoint then names what is missing.
  }
  return out;
}

export function str(p: Params, key: string): string | undefined {
  const v = p[key];
  return typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
}

export function bearer(req: Request, p: Params): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get("authorization") ?? "");
  return m?.[1] ?? str(p, "access_token");
}

export function basic(req: Request): { id: string; secret: string } | undefined {
  const m = /^Basic\s+(\S+)\s*$/i.exec(req.headers.get("authorization") ?? "");
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const i = decoded.indexOf(":");
  if (i < 0) return undefined;
  const un = (x: string) => decodeURIComponent(x.replace(/\+/g, " "));
  return { id: un(decoded.slice(0, i)), secret: un(decoded.slice(i + 1)) };
}

export function clientIp(req: Request): string {
  return (req.headers.get("x-forwarded-for") ?? "").split(",")[0]!.trim() || "127.0.0.1";
}

/** `*` matches within one path segment; `**` across segments. */
export function pathMatches(pattern: string | undefined, path: string): boolean {
  if (!pattern || pattern === "*") return true;
  const re = pattern
    .split("**")
    .map((part) => part.split("*").map((x) => x.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^/]*"))
    .join(".*");
  return new RegExp(`^${re}/?$`).test(path);
}
