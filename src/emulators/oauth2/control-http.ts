import { z } from "zod";
import { clockMs, clockSchema, ControlInputError, num, parseControl, readControlBody } from "../control-body";
import type { OAuth2Control } from "./controls";
import type { Runtime } from "./profile";
import { json } from "./respond";

/** HTTP face of the control API: /_control/*, JSON or form bodies, zod-validated; 403 when disabled. */

const scopeList = z.union([z.array(z.string()), z.string().transform((x) => x.split(/[,\s]+/).filter(Boolean))]);

const schemas = {
  persona: z.object({ persona: z.string().min(1), name: z.string().min(1).optional(), followers: num.optional(), following: num.optional(), posts: num.optional() }),
  tokens: z.object({ persona: z.string().min(1), scopes: scopeList.optional(), clientId: z.string().optional() }),
  revoke: z
    .object({ persona: z.string().optional(), grantId: z.string().optional(), token: z.string().optional(), clientId: z.string().optional() })
    .refine((x) => x.persona || x.grantId || x.token, "persona, grantId or token is required"),
  expire: z.object({ grantId: z.string().optional(), token: z.string().optional() }).refine((x) => x.grantId || x.token, "grantId or token is required"),
  fault: z.object({
    kind: z.enum(["server_error", "timeout", "rate_limited", "invalid_grant", "quota_exceeded"]),
    target: z.enum(["refresh", "exchange", "token", "api", "revoke", "introspect", "any"]).optional(),
    path: z.string().optional(),
    count: num.int().min(1).optional(),
    latencyMs: num.min(0).optional(),
  }),
};

export const CONTROL_PATHS = [
  "GET /_control",
  "GET /_control/personas",
  "POST /_control/personas",
  "GET /_control/clock",
  "POST /_control/clock",
  "GET /_control/grants",
  "POST /_control/tokens",
  "POST /_control/tokens/expire",
  "POST /_control/revoke",
  "GET /_control/faults",
  "POST /_control/faults",
  "DELETE /_control/faults",
  "GET /_control/refresh-attempts",
  "GET /_control/requests",
  "DELETE /_control/requests",
  "GET /_control/log",
  "GET /_control/state",
];

export async function handleControl(rt: Runtime, c: OAuth2Control, req: Request, path: string, base: string, exportState: () => unknown): Promise<Response> {
  if (!rt.controlsEnabled) return json({ error: { message: "Sandbox controls are disabled" } }, 403);
  const key = `${req.method} ${path.replace(/\/+$/, "")}`;
  try {
    const raw = await readControlBody(req);
    const parse = <T extends z.ZodType>(schema: T): z.infer<T> => parseControl(schema, raw);
    const clock = () => ({ now: c.now(), iso: new Date(c.now()).toISOString() });
    switch (key) {
      case "GET /_control": {
        const p = rt.profile;
        return json({ provider: p.id, platform: p.platform, base, endpoints: p.describe.endpoints, lifetimes: p.describe.lifetimes, controls: CONTROL_PATHS });
      }
      case "GET /_control/personas":
        return json({ data: c.personas(base) });
      case "POST /_control/personas": {
        const { persona, ...o } = parse(schemas.persona);
        c.updatePersona(persona, o);
        return json({ persona: c.personas(base).find((p) => p.id === persona) });
      }
      case "GET /_control/clock":
        return json(clock());
      case "POST /_control/clock":
        c.advanceClock(clockMs(parse(clockSchema)));
        return json(clock());
      case "GET /_control/grants":
        return json({ data: c.grants({ persona: typeof raw.persona === "string" ? raw.persona : undefined }) });
      case "POST /_control/tokens":
        return json(c.issueTokens(parse(schemas.tokens), base));
      case "POST /_control/tokens/expire":
        return json({ expired: c.expireAccessTokens(parse(schemas.expire)) });
      case "POST /_control/revoke":
        return json({ revoked: c.revoke(parse(schemas.revoke)) });
      case "GET /_control/faults":
        return json({ data: c.faults() });
      case "POST /_control/faults":
        c.injectFault(parse(schemas.fault));
        return json({ data: c.faults() });
      case "DELETE /_control/faults":
        c.clearFaults();
        return json({ success: true });
      case "GET /_control/refresh-attempts":
        return json({ data: c.refreshAttempts() });
      case "GET /_control/requests":
        return json({ data: c.requestLog() });
      case "DELETE /_control/requests":
        c.clearRequestLog();
        return json({ success: true });
      case "GET /_control/log":
        return json({ data: c.controlLog() });
      case "GET /_control/state":
        return json(exportState());
      default:
        return json({ error: { message: `No control at ${key}` } }, 404);
    }
  } catch (e) {
    if (e instanceof ControlInputError) return json({ error: { message: e.message } }, 400);
    throw e;
  }
}
