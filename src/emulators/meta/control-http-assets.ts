import { z } from "zod";
import type { MetaSandboxControl } from "./controls";
import { jsonResponse } from "./errors";
import { NotSubscribed } from "./webhooks";

/** HTTP face of the grant, publishing-log and webhook controls (see control-http.ts for the rest). */

const persona = z.string().min(1);
const appId = z.string().optional();
const idList = z.union([z.array(z.string()), z.string().transform((x) => x.split(",").filter(Boolean))]);
const bool = z.union([z.boolean(), z.enum(["true", "false"]).transform((x) => x === "true")]);

export const assetsSchema = z.object({ pages: idList.optional(), instagram: idList.optional(), adAccounts: idList.optional() });

const schemas = {
  permission: z.object({ persona, permission: z.string().min(1), status: z.enum(["granted", "declined"]), appId }),
  asset: z.object({ persona, assetId: z.string().min(1), ticked: bool, appId }),
  grant: z.object({ persona, appId }),
  published: z.object({ target: z.string().optional() }),
  // Strict: the handshake goes to the configured URL; a request naming another is refused.
  verify: z.object({ verifyToken: z.string(), appId }).strict(),
  app: z.object({ appId }),
  // Strict: a delivery URL is configured when the sandbox is created, never taken from a request.
  permissions: z
    .object({
      persona,
      appId,
      time: z.coerce.number().int().positive().optional(),
      changes: z.array(z.object({ field: z.string().min(1), verb: z.enum(["granted", "revoked"]), targetIds: z.array(z.string()).optional() })).min(1),
    })
    .strict(),
  replay: z.object({ deliveryId: z.string().min(1) }),
};

type Parse = <T extends z.ZodType>(schema: T) => z.infer<T>;

/** The answer for `key` ("METHOD /_control/…"), or null when it is not one of these controls. */
export async function assetControlRoute(c: MetaSandboxControl, key: string, parse: Parse): Promise<Response | null> {
  try {
    switch (key) {
      case "POST /_control/users/permission": {
        const b = parse(schemas.permission);
        return jsonResponse({ changes: c.setPermission(b.persona, b.permission, b.status, b.appId) });
      }
      case "POST /_control/users/assets": {
        const b = parse(schemas.asset);
        return jsonResponse({ changes: c.setAssetTicked(b.persona, b.assetId, b.ticked, b.appId) });
      }
      case "GET /_control/users/grant": {
        const b = parse(schemas.grant);
        return jsonResponse({ grant: c.grant(b.persona, b.appId) });
      }
      case "GET /_control/published":
        return jsonResponse({ data: c.published(parse(schemas.published)) });
      case "GET /_control/webhooks":
        return jsonResponse({ subscribed: c.webhookSubscribed(), data: c.webhookDeliveries() });
      case "DELETE /_control/webhooks":
        c.clearWebhookDeliveries();
        return jsonResponse({ success: true });
      case "POST /_control/webhooks/verify": {
        const b = parse(schemas.verify);
        return jsonResponse(await c.verifyWebhook({ verifyToken: b.verifyToken, appId: b.appId }));
      }
      case "DELETE /_control/webhooks/subscription":
        c.unsubscribeWebhooks(parse(schemas.app).appId);
        return jsonResponse({ success: true });
      case "POST /_control/webhooks/permissions":
        return jsonResponse(await c.sendPermissionsWebhook(parse(schemas.permissions)));
      case "POST /_control/webhooks/test":
        return jsonResponse(await c.sendTestWebhook(parse(schemas.app).appId));
      case "POST /_control/webhooks/replay":
        return jsonResponse(await c.replayWebhook(parse(schemas.replay).deliveryId));
      case "POST /_control/webhooks/deliver":
        return jsonResponse({ data: await c.deliverWebhooks() });
      default:
        return null;
    }
  } catch (e) {
    if (e instanceof NotSubscribed) return jsonResponse({ error: { message: e.message } }, 409);
    if (e instanceof Error && /^unknown (asset|delivery)/.test(e.message)) return jsonResponse({ error: { message: e.message } }, 400);
    throw e;
  }
}
