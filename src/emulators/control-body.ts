import { z } from "zod";

/** What every sandbox's HTTP controls share: reading a JSON or form body, and the clock schema. */

export class ControlInputError extends Error {}

/** GET/DELETE take the query string; others a JSON object or a form. */
export async function readControlBody(req: Request): Promise<Record<string, unknown>> {
  if (req.method === "GET" || req.method === "DELETE") return Object.fromEntries(new URL(req.url).searchParams);
  const text = await req.text();
  if (!text.trim()) return {};
  if ((req.headers.get("content-type") ?? "").includes("json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ControlInputError("Body is not valid JSON");
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new ControlInputError("Body must be a JSON object");
    return parsed as Record<string, unknown>;
  }
  return Object.fromEntries(new URLSearchParams(text));
}

export function parseControl<T extends z.ZodType>(schema: T, raw: Record<string, unknown>): z.infer<T> {
  const r = schema.safeParse(raw);
  if (!r.success) throw new ControlInputError(z.prettifyError(r.error));
  return r.data;
}

export const num = z.coerce.number();
/** Form bodies say "true"/"1"; JSON says true. */
export const bool = z.union([z.boolean(), z.enum(["true", "false", "1", "0"]).transform((x) => x === "true" || x === "1")]);

export const clockSchema = z.object({
  advanceMs: num.optional(),
  advanceSeconds: num.optional(),
  advanceMinutes: num.optional(),
  advanceHours: num.optional(),
  advanceDays: num.optional(),
});

export function clockMs(b: z.infer<typeof clockSchema>): number {
  return (b.advanceMs ?? 0) + ((b.advanceSeconds ?? 0) + ((b.advanceMinutes ?? 0) + ((b.advanceHours ?? 0) + (b.advanceDays ?? 0) * 24) * 60) * 60) * 1000;
}
