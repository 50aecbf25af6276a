import { z } from "zod";
import { bool, clockMs, clockSchema, ControlInputError, num, parseControl, readControlBody } from "../control-body";
import type { BlueskySandboxControl } from "./controls";
import { jsonResponse } from "./errors";
import type { Runtime } from "./state";

/** HTTP face of the control API: /_control/*, JSON or form bodies, zod-validated; 403 when disabled. */

const persona = z.object({ persona: z.string().min(1) });

const schemas = {
  appPassword: persona.extend({ name: z.string().min(1).max(100), privileged: bool.optional() }),
  revokeAppPassword: persona.extend({ name: z.string().min(1) }),
  password: persona.extend({ password: z.string().min(8).max(256).optional() }),
  fault: z.object({
    nsid: z.string().optional(),
    status: num.pipe(z.number().int().min(400).max(599)).optional(),
    error: z.string().optional(),
    message: z.string().optional(),
    count: num.pipe(z.number().int().min(1)).optional(),
    delayMs: num.pipe(z.number().min(0).max(120_000)).optional(),
    timeout: bool.optional(),
  }),
  settings: z.object({ refreshGraceMs: num.pipe(z.number().min(0)).optional(), killAccessOnRevoke: bool.optional(), failedLoginDelayMs: num.pipe(z.number().min(0)).optional() }),
};

export async function handleControl(rt: Runtime, c: BlueskySandboxControl, req: Request, path: string): Promise<Response> {
  if (!rt.controlsEnabled) return jsonResponse({ error: "Forbidden", message: "Sandbox controls are disabled" }, 403);
  const key = `${req.method} ${path.replace(/\/+$/, "")}`;
  try {
    const raw = await readControlBody(req);
    const parse = <T extends z.ZodType>(schema: T): z.infer<T> => parseControl(schema, raw);
    const ok = { success: true };
    switch (key) {
      case "GET /_control/personas":
        return jsonResponse({ data: c.personas() });
      case "GET /_control/clock":
        return jsonResponse({ now: c.now(), iso: new Date(c.now()).toISOString() });
      case "POST /_control/clock": {
        const t = c.advanceClock(clockMs(parse(clockSchema)));
        return jsonResponse({ now: t, iso: new Date(t).toISOString() });
      }
      case "GET /_control/sign-in-code":
        return jsonResponse({ code: c.signInCode(parse(persona).persona) });
      case "POST /_control/app-passwords": {
        const b = parse(schemas.appPassword);
        return jsonResponse(c.createAppPassword(b.persona, { name: b.name, privileged: b.privileged }));
      }
      case "POST /_control/app-passwords/revoke": {
        const b = parse(schemas.revokeAppPassword);
        return jsonResponse({ revoked: c.revokeAppPassword(b.persona, b.name) });
      }
      case "POST /_control/password": {
        const b = parse(schemas.password);
        return jsonResponse({ password: c.changePassword(b.persona, b.password) });
      }
      case "POST /_control/takedown":
        c.takeDown(parse(persona).persona);
        return jsonResponse(ok);
      case "POST /_control/restore":
        c.restore(parse(persona).persona);
        return jsonResponse(ok);
      case "POST /_control/deactivate":
        c.deactivate(parse(persona).persona);
        return jsonResponse(ok);
      case "POST /_control/delete-account":
        c.deleteAccount(parse(persona).persona);
        return jsonResponse(ok);
      case "GET /_control/settings":
        return jsonResponse(c.settings());
      case "POST /_control/settings":
        return jsonResponse(c.settings(parse(schemas.settings)));
      case "GET /_control/faults":
        return jsonResponse({ data: c.faults() });
      case "POST /_control/faults":
        c.injectFault(parse(schemas.fault));
        return jsonResponse({ data: c.faults() });
      case "DELETE /_control/faults":
        c.clearFaults();
        return jsonResponse(ok);
      case "GET /_control/records":
        return jsonResponse({ data: c.records(typeof raw.persona === "string" ? raw.persona : undefined) });
      case "GET /_control/requests":
        return jsonResponse({ data: c.requestLog() });
      case "DELETE /_control/requests":
        c.clearRequestLog();
        return jsonResponse(ok);
      case "GET /_control/log":
        return jsonResponse({ data: c.controlLog() });
      case "GET /_control/secrets":
        return jsonResponse({ data: c.secrets() });
      default:
        return jsonResponse({ error: "NotFound", message: `No control at ${key}` }, 404);
    }
  } catch (e) {
    if (e instanceof ControlInputError || (e instanceof Error && /^unknown persona/.test(e.message))) return jsonResponse({ error: "InvalidRequest", message: e.message }, 400);
    if (e instanceof Error && e.message === "could not create app-specific password") return jsonResponse({ error: "InvalidRequest", message: "An app password with that name already exists" }, 400);
    throw e;
  }
}
