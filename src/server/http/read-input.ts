import { AppError } from "@/server/errors";

/**
 * The one place request input is read (docs/security.md). Bodies are capped before they are read
 * (a declared Content-Length over the cap is refused unread; an undeclared one stops at the cap),
 * must be valid UTF-8, and JSON must be sent as JSON. Every string and key that comes out —
 * JSON, query strings, forms, route params, server-action fields — is checked: no NUL (Postgres
 * refuses it in text), no lone surrogate, no `__proto__` key, no absurd nesting. Failures are the
 * client's: VALIDATION_ERROR (400) or PAYLOAD_TOO_LARGE (413), never a 500.
 */
export const JSON_BODY_LIMIT = 64 * 1024;
export const FORM_BODY_LIMIT = 16 * 1024;
const MAX_DEPTH = 32;

const invalid = (message: string, hint?: string, field?: string) => new AppError({ code: "VALIDATION_ERROR", message, hint, field });
const tooLarge = (limit: number) =>
  new AppError({ code: "PAYLOAD_TOO_LARGE", message: "The request body is too large.", hint: `Send at most ${Math.floor(limit / 1024)} KiB.` });

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkText(text: string, field: string | undefined): void {
  if (text.includes("\u0000")) throw invalid(`${field ? `${field}: ` : ""}must not contain NUL characters.`, undefined, field);
  if (LONE_SURROGATE.test(text)) throw invalid(`${field ? `${field}: ` : ""}is not valid Unicode text.`, undefined, field);
}

/** Throws VALIDATION_ERROR when any string or key in `value` is unfit for the app. */
export function assertCleanInput(value: unknown, path: string[] = []): void {
  if (path.length > MAX_DEPTH) throw invalid("The input is nested too deeply.");
  const field = path.length > 0 ? path.join(".") : undefined;
  if (typeof value === "string") return checkText(value, field);
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertCleanInput(item, [...path, String(i)]));
    return;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      checkText(key, field);
      if (key === "__proto__") throw invalid("The input has a key that is not allowed (__proto__).", undefined, field);
      assertCleanInput(item, [...path, key]);
    }
  }
}

/** The body as text: capped before and while reading, and strictly UTF-8. */
export async function readBodyText(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw invalid("The request body is not valid UTF-8.");
  }
}

/** A JSON body (Content-Type application/json), parsed and checked. */
export async function readJson(request: Request, limit = JSON_BODY_LIMIT): Promise<unknown> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json" && !type.endsWith("+json")) {
    throw invalid("The request body must be JSON.", "Send it with Content-Type: application/json.");
  }
  const text = await readBodyText(request, limit);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid("The request body is not valid JSON.", "Send a JSON object.");
  }
  assertCleanInput(value);
  return value;
}

/** A form-encoded body, as a flat object (the last value of a repeated field wins), checked. */
export async function readForm(request: Request, limit = FORM_BODY_LIMIT): Promise<Record<string, string>> {
  const fields = Object.fromEntries(new URLSearchParams(await readBodyText(request, limit)));
  assertCleanInput(fields);
  return fields;
}

/** The query string as a flat object (the last value of a repeated key wins), checked. */
export function readQuery(request: Request): Record<string, string> {
  const fields = Object.fromEntries(new URL(request.url).searchParams);
  assertCleanInput(fields);
  return fields;
}

/** Named text fields of a server action's FormData (files and absent fields become ""), checked. */
export function readFormData<K extends string>(formData: FormData, names: readonly K[]): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const name of names) {
    const value = formData.get(name);
    out[name] = typeof value === "string" ? value : "";
  }
  assertCleanInput(out);
  return out;
}
