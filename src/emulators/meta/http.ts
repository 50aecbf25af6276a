/** Turning a Web Request into the flat parameter map Graph handlers work with. */

export type Params = Record<string, string>;

export type GraphRequest = {
  method: string;
  /** Version-less path, e.g. "/me/adaccounts"; "/" for the root. */
  path: string;
  segments: string[];
  /** "v25.0" when the call was versioned, else null. */
  version: string | null;
  params: Params;
  /** The query string parameters only (next URLs are rebuilt from these). */
  query: Params;
  /** origin + basePath, for absolute URLs we emit. */
  base: string;
  headers: Headers;
  token?: string;
  tokenSource?: "query" | "body" | "header";
  /** Set when executed as an item of a batch. */
  inBatch?: boolean;
};

const VERSION_RE = /^\/(v\d+\.\d+)(?=\/|$)/;

export function splitVersion(path: string): { version: string | null; rest: string } {
  const m = VERSION_RE.exec(path);
  if (!m) return { version: null, rest: path || "/" };
  return { version: m[1] ?? null, rest: path.slice(m[0].length) || "/" };
}

function stringify(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** Form, multipart or JSON bodies all become strings (objects re-encoded as JSON, as Graph reads them). */
export async function readBody(req: Request): Promise<Params> {
  if (req.method === "GET" || req.method === "HEAD") return {};
  const type = req.headers.get("content-type") ?? "";
  const out: Params = {};
  try {
    if (type.includes("application/json")) {
      const text = await req.text();
      if (!text.trim()) return out;
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
        for (const [k, v] of Object.entries(parsed)) out[k] = stringify(v);
      }
      return out;
    }
    if (type.includes("multipart/form-data")) {
      const form = await req.formData();
      for (const [k, v] of form.entries()) out[k] = typeof v === "string" ? v : `[file:${v.name}]`;
      return out;
    }
    const text = await req.text();
    for (const [k, v] of new URLSearchParams(text)) out[k] = v;
  } catch {
    // An unparseable body is treated as empty; Graph answers with the missing-parameter error.
  }
  return out;
}

export function bearerToken(headers: Headers): string | undefined {
  const auth = headers.get("authorization");
  if (!auth) return undefined;
  const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(auth.trim());
  return m?.[1]?.trim();
}

export function basicCredentials(headers: Headers): { id: string; secret: string } | undefined {
  const auth = headers.get("authorization");
  const m = auth ? /^Basic\s+(.+)$/i.exec(auth.trim()) : null;
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const i = decoded.indexOf(":");
  if (i < 0) return undefined;
  // RFC 6749 §2.3.1: both parts are form-urlencoded before being joined.
  return { id: decodeURIComponent(decoded.slice(0, i).replace(/\+/g, " ")), secret: decodeURIComponent(decoded.slice(i + 1).replace(/\+/g, " ")) };
}

export async function parseGraphRequest(req: Request, pathAfterBase: string, base: string): Promise<GraphRequest> {
  const url = new URL(req.url);
  const { version, rest } = splitVersion(pathAfterBase);
  const query: Params = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const body = await readBody(req);
  const params: Params = { ...body, ...query };
  let method = req.method.toUpperCase();
  // The JS SDK and batch items tunnel DELETE/POST through a `method` parameter.
  const override = params.method?.toUpperCase();
  if (override && ["GET", "POST", "DELETE"].includes(override)) method = override;
  let token: string | undefined;
  let tokenSource: GraphRequest["tokenSource"];
  if (query.access_token) [token, tokenSource] = [query.access_token, "query"];
  else if (body.access_token) [token, tokenSource] = [body.access_token, "body"];
  else {
    const b = bearerToken(req.headers);
    if (b) [token, tokenSource] = [b, "header"];
  }
  const path = rest.replace(/\/+$/, "") || "/";
  return {
    method,
    path,
    segments: path.split("/").filter(Boolean).map(decodeURIComponent),
    version,
    params,
    query,
    base,
    headers: req.headers,
    token,
    tokenSource,
  };
}

const SECRET_PARAMS = new Set([
  "access_token",
  "client_secret",
  "appsecret_proof",
  "code",
  "fb_exchange_token",
  "input_token",
  "code_verifier",
  "batch",
  "signed_request",
]);

/** The query as logged: secrets removed entirely. */
export function redactedQuery(url: URL): Params {
  const out: Params = {};
  for (const [k, v] of url.searchParams) if (!SECRET_PARAMS.has(k)) out[k] = v;
  return out;
}
