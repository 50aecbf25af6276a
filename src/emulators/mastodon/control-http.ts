import { z } from "zod";
import { bool, clockMs, clockSchema, ControlInputError, num, parseControl, readControlBody } from "../control-body";
import type { MastodonSandboxControl, MastodonServerControl } from "./controls";
import { json } from "./responses";

/** HTTP face of a server's controls: {server}/_control/*, JSON or form bodies, zod-validated. */

const scopeList = z.union([z.array(z.string()), z.string().transform((x) => x.split(/[\s,]+/).filter(Boolean))]);

const schemas = {
  dialog: z.object({ behaviour: z.enum(["interactive", "approve", "deny"]), persona: z.string().optional() }),
  token: z.object({ persona: z.string().min(1), scopes: scopeList.optional(), clientId: z.string().optional() }),
  revokeToken: z.object({ token: z.string().min(1) }),
  revokeGrant: z.object({ persona: z.string().min(1), clientId: z.string().optional() }),
  userState: z.object({ persona: z.string().min(1), state: z.enum(["active", "disabled", "unconfirmed", "pending", "deleted"]) }),
  fault: z.object({
    path: z.string().optional(),
    method: z.string().optional(),
    status: num.pipe(z.number().int().min(400).max(599)).optional(),
    message: z.string().optional(),
    count: num.pipe(z.number().int().min(1)).optional(),
    delayMs: num.pipe(z.number().min(0).max(120_000)).optional(),
    timeout: bool.optional(),
  }),
  misbehave: z.object({
    path: z.string().optional(),
    mode: z.enum(["huge", "redirect-loop", "redirect", "slow-drip"]),
    bytes: num.pipe(z.number().int().min(1)).optional(),
    intervalMs: num.pipe(z.number().min(1)).optional(),
    location: z.string().optional(),
    count: num.pipe(z.number().int().min(1)).optional(),
  }),
};

export async function handleServerControl(root: MastodonSandboxControl, c: MastodonServerControl, req: Request, path: string): Promise<Response> {
  const key = `${req.method} ${path.replace(/\/+$/, "")}`;
  try {
    const raw = await readControlBody(req);
    const parse = <T extends z.ZodType>(schema: T): z.infer<T> => parseControl(schema, raw);
    const ok = { success: true };
    switch (key) {
      case "GET /_control/server":
        return json(c.info());
      case "GET /_control/personas":
        return json({ data: c.personas() });
      case "GET /_control/clock":
        return json({ now: c.now(), iso: new Date(c.now()).toISOString() });
      case "POST /_control/clock": {
        const t = c.advanceClock(clockMs(parse(clockSchema)));
        return json({ now: t, iso: new Date(t).toISOString() });
      }
      case "POST /_control/dialog": {
        const b = parse(schemas.dialog);
        c.setDialogBehaviour(b.behaviour, b.persona);
        return json(b);
      }
      case "POST /_control/tokens": {
        const b = parse(schemas.token);
        return json(c.issueToken({ persona: b.persona, scopes: b.scopes, clientId: b.clientId }));
      }
      case "POST /_control/tokens/revoke":
        return json({ revoked: c.revokeToken(parse(schemas.revokeToken).token) });
      case "POST /_control/grants/revoke": {
        const b = parse(schemas.revokeGrant);
        return json({ revoked: c.revokeGrant(b.persona, b.clientId) });
      }
      case "POST /_control/users/state": {
        const b = parse(schemas.userState);
        c.setUserState(b.persona, b.state);
        return json(ok);
      }
      case "GET /_control/apps":
        return json({ data: c.apps() });
      case "GET /_control/statuses":
        return json({ data: c.statuses(typeof raw.persona === "string" ? raw.persona : undefined) });
      case "POST /_control/faults":
        c.injectFault(parse(schemas.fault));
        return json(ok);
      case "DELETE /_control/faults":
        c.clearFaults();
        return json(ok);
      case "POST /_control/misbehave":
        c.misbehave(parse(schemas.misbehave));
        return json(ok);
      case "DELETE /_control/misbehave":
        c.clearMisbehaviour();
        return json(ok);
      case "GET /_control/requests":
        return json({ data: root.requestLog(c.id) });
      case "GET /_control/log":
        return json({ data: root.controlLog().filter((e) => e.server === c.id) });
      case "GET /_control/secrets":
        return json({ data: root.secrets() });
      default:
        return json({ error: `No control at ${key}` }, 404);
    }
  } catch (e) {
    if (e instanceof ControlInputError || (e instanceof Error && /^unknown (persona|client)/.test(e.message))) return json({ error: e.message }, 400);
    throw e;
  }
}
