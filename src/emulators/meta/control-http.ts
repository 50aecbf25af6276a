import { z } from "zod";
import { DeliveryRefused } from "./callbacks";
import type { MetaSandboxControl } from "./controls";
import { jsonResponse } from "./errors";
import { readBody } from "./http";
import type { SandboxState } from "./state";

/** HTTP face of the control API: /_control/*, JSON or form bodies, zod-validated. */

const persona = z.string().min(1);
const reason = z.enum(["password_changed", "app_removed", "logged_out", "api_call", "checkpoint", "unconfirmed", "page_role_removed"]);
const behaviour = z.union([z.enum(["approve", "cancel", "interactive"]), z.string().regex(/^decline:[a-z_,]+$/)]);
const num = z.coerce.number();
const tokenRef = z.object({ token: z.string().optional(), tokenId: z.string().optional() }).refine((x) => x.token || x.tokenId, "token or tokenId is required");

const schemas = {
  dialog: z.object({ persona, behaviour }),
  clock: z.object({ advanceMs: num.optional(), advanceSeconds: num.optional(), advanceDays: num.optional() }),
  issue: z.object({
    persona,
    appId: z.string().optional(),
    scopes: z.union([z.array(z.string()), z.string().transform((x) => x.split(",").filter(Boolean))]).optional(),
    lifetime: z.enum(["short", "long", "never"]).optional(),
  }),
  revoke: tokenRef.and(z.object({ reason: reason.optional() })),
  invalidate: z.object({ persona, reason, appId: z.string().optional(), pageId: z.string().optional() }),
  personaApp: z.object({ persona, appId: z.string().optional() }),
  pageRole: z.object({ persona, pageId: z.string() }),
  permission: z.object({ persona, permission: z.string(), appId: z.string().optional() }),
  fault: z.object({
    path: z.string().optional(),
    method: z.string().optional(),
    code: num.optional(),
    subcode: num.optional(),
    status: num.optional(),
    message: z.string().optional(),
    isTransient: z.boolean().optional(),
    latencyMs: num.optional(),
    timeout: z.boolean().optional(),
    count: num.optional(),
  }),
  throttle: z.object({
    scope: z.enum(["app", "user", "ad_account", "ads_insights", "ads_management", "pages"]),
    objectId: z.string().optional(),
    minutes: num.optional(),
  }),
  appMode: z.object({ mode: z.enum(["development", "live"]), appId: z.string().optional() }),
  signed: z.object({
    persona: z.string().optional(),
    kind: z.enum(["deauthorize", "data_deletion"]).default("deauthorize"),
    payload: z.record(z.string(), z.unknown()).optional(),
    appId: z.string().optional(),
  }),
  delivery: z.object({ url: z.string().url(), persona, appId: z.string().optional() }),
  webhook: z.object({
    url: z.string().url(),
    persona,
    appId: z.string().optional(),
    changes: z.array(z.object({ field: z.string(), verb: z.enum(["granted", "revoked"]), targetIds: z.array(z.string()).optional() })),
  }),
  verify: z.object({ url: z.string().url(), verifyToken: z.string() }),
};

const bad = (message: string) => jsonResponse({ error: { message } }, 400);

export async function handleControl(s: SandboxState, c: MetaSandboxControl, req: Request, path: string): Promise<Response> {
  if (!s.controlsEnabled) return jsonResponse({ error: { message: "Sandbox controls are disabled" } }, 403);
  const body = await readBody(req);
  let raw: Record<string, unknown> = body;
  // JSON bodies keep their structure (arrays, objects) for the schemas.
  if ((req.headers.get("content-type") ?? "").includes("json")) {
    try {
      raw = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, /^[[{]/.test(v) ? JSON.parse(v) : v]));
    } catch {
      return bad("Body is not valid JSON");
    }
  }
  const parse = <T extends z.ZodType>(schema: T): z.infer<T> => {
    const r = schema.safeParse(raw);
    if (!r.success) throw new ControlInputError(z.prettifyError(r.error));
    return r.data;
  };
  const key = `${req.method} ${path.replace(/\/+$/, "")}`;
  try {
    switch (key) {
      case "GET /_control/personas":
        return jsonResponse({ data: c.personas() });
      case "GET /_control/dialog":
        return jsonResponse({ dialog: s.world.dialog ?? { behaviour: "interactive" } });
      case "POST /_control/dialog": {
        const b = parse(schemas.dialog);
        c.setDialogBehaviour(b.persona, b.behaviour as Parameters<MetaSandboxControl["setDialogBehaviour"]>[1]);
        return jsonResponse({ persona: b.persona, behaviour: b.behaviour });
      }
      case "GET /_control/clock":
        return jsonResponse({ now: c.now(), iso: new Date(c.now()).toISOString() });
      case "POST /_control/clock": {
        const b = parse(schemas.clock);
        const ms = (b.advanceMs ?? 0) + (b.advanceSeconds ?? 0) * 1000 + (b.advanceDays ?? 0) * 86400_000;
        const t = c.advanceClock(ms);
        return jsonResponse({ now: t, iso: new Date(t).toISOString() });
      }
      case "POST /_control/tokens": {
        const b = parse(schemas.issue);
        const t = c.issueToken({ persona: b.persona, appId: b.appId, scopes: b.scopes, lifetime: b.lifetime });
        return jsonResponse({ access_token: t.accessToken, token_id: t.tokenId, user_id: t.userId, expires_in: t.expiresIn });
      }
      case "POST /_control/tokens/expire": {
        const b = parse(tokenRef);
        return jsonResponse({ expired: c.expireToken((b.token ?? b.tokenId)!) });
      }
      case "POST /_control/tokens/revoke": {
        const b = parse(schemas.revoke);
        return jsonResponse({ revoked: c.revokeToken((b.token ?? b.tokenId)!, b.reason) });
      }
      case "POST /_control/tokens/invalidate": {
        const b = parse(schemas.invalidate);
        return jsonResponse({ invalidated: c.invalidateTokens(b.persona, b.reason, { appId: b.appId, pageId: b.pageId }) });
      }
      case "POST /_control/users/remove-app": {
        const b = parse(schemas.personaApp);
        c.removeApp(b.persona, b.appId);
        return jsonResponse({ success: true });
      }
      case "POST /_control/users/remove-page-role": {
        const b = parse(schemas.pageRole);
        c.removePageRole(b.persona, b.pageId);
        return jsonResponse({ success: true });
      }
      case "POST /_control/users/expire-data-access": {
        const b = parse(schemas.personaApp);
        c.expireDataAccess(b.persona, b.appId);
        return jsonResponse({ success: true });
      }
      case "POST /_control/users/expire-permission": {
        const b = parse(schemas.permission);
        c.expirePermission(b.persona, b.permission, b.appId);
        return jsonResponse({ success: true });
      }
      case "GET /_control/faults":
        return jsonResponse({ data: s.world.faults });
      case "POST /_control/faults":
        c.injectFault(parse(schemas.fault));
        return jsonResponse({ data: s.world.faults });
      case "DELETE /_control/faults":
        c.clearFaults();
        return jsonResponse({ success: true });
      case "POST /_control/throttle":
        return jsonResponse(c.throttle(parse(schemas.throttle)));
      case "DELETE /_control/throttle":
        c.clearThrottles();
        return jsonResponse({ success: true });
      case "POST /_control/app-mode": {
        const b = parse(schemas.appMode);
        c.setAppMode(b.mode, b.appId);
        return jsonResponse({ mode: b.mode });
      }
      case "GET /_control/requests":
        return jsonResponse({ data: c.requestLog() });
      case "DELETE /_control/requests":
        c.clearRequestLog();
        return jsonResponse({ success: true });
      case "GET /_control/log":
        return jsonResponse({ data: c.controlLog() });
      case "POST /_control/signed-request": {
        const b = parse(schemas.signed);
        if (!b.persona && !b.payload) return bad("persona or payload is required");
        const signed = b.persona ? c.callbackSignedRequest(b.persona, b.kind, b.appId) : c.signedRequest(b.payload ?? {}, b.appId);
        return jsonResponse({ signed_request: signed });
      }
      case "POST /_control/callbacks/deauthorize":
        return jsonResponse(await c.sendDeauthorize(parse(schemas.delivery)));
      case "POST /_control/callbacks/data-deletion":
        return jsonResponse(await c.sendDataDeletion(parse(schemas.delivery)));
      case "POST /_control/webhooks/permissions":
        return jsonResponse(await c.sendPermissionsWebhook(parse(schemas.webhook)));
      case "POST /_control/webhooks/verify":
        return jsonResponse(await c.verifyWebhook(parse(schemas.verify)));
      default:
        return jsonResponse({ error: { message: `No control at ${key}` } }, 404);
    }
  } catch (e) {
    if (e instanceof ControlInputError || (e instanceof Error && /^unknown (persona|app)/.test(e.message))) return bad(e.message);
    if (e instanceof DeliveryRefused) return jsonResponse({ error: { message: e.message } }, 403);
    if (e instanceof TypeError) return jsonResponse({ error: { message: `Delivery failed: ${e.message}` } }, 502);
    throw e;
  }
}

class ControlInputError extends Error {}
