import type { PermissionChange } from "./callbacks";
import type { GrantHelpers } from "./controls-grants";
import { appScopedUserId, now, type SandboxState } from "./state";
import { describeDelivery, isSubscribed, NotSubscribed, queuePermissions, replayDelivery, settleDeliveries, verifySubscription } from "./webhooks";
import type { WebhookDelivery } from "./world";

/**
 * Controls over permissions webhooks (§14). Deliveries go to each app's configured `webhookUrl`
 * only — no control takes a URL.
 */

export type WebhookDeliveryView = ReturnType<typeof describeDelivery>;

export type WebhookControls = {
  /** The GET handshake against the app's webhook URL; when the app echoes the challenge, it is subscribed. */
  verifyWebhook(o: { verifyToken: string; appId?: string }): Promise<{ url: string; status: number; body: string; challenge: string; ok: boolean }>;
  unsubscribeWebhooks(appId?: string): void;
  webhookSubscribed(appId?: string): boolean;
  /** A hand-made notification (e.g. an older `time`, for out-of-order tests); resolves after the first attempt. */
  sendPermissionsWebhook(o: { persona: string; changes: PermissionChange[]; time?: number; appId?: string }): Promise<WebhookDeliveryView>;
  /** What the App Dashboard's "Test" button sends: entry id "0". */
  sendTestWebhook(appId?: string): Promise<WebhookDeliveryView>;
  /** The same body and signature again (as a retry or a replay looks). */
  replayWebhook(deliveryId: string): Promise<WebhookDeliveryView>;
  /** Attempt every due delivery (retries are due on the sandbox clock) and wait for all of them. */
  deliverWebhooks(): Promise<WebhookDeliveryView[]>;
  webhookDeliveries(): WebhookDeliveryView[];
  clearWebhookDeliveries(): void;
  /** The signature headers Meta would put on this raw body. */
  webhookSignature(rawBody: string, appId?: string): Record<string, string>;
};

export function webhookControls(s: SandboxState, h: GrantHelpers, sign: (rawBody: string, secret: string) => Record<string, string>): WebhookControls {
  const settled = async (d: WebhookDelivery | null): Promise<WebhookDeliveryView> => {
    if (!d) throw new Error("nothing was queued");
    await settleDeliveries(s);
    return describeDelivery(d);
  };
  const requireSubscribed = (appId: string) => {
    if (!isSubscribed(s, appId)) throw new NotSubscribed(appId);
  };
  return {
    async verifyWebhook(o) {
      const a = h.app(o.appId);
      const result = await verifySubscription(s, a.appId, o.verifyToken);
      h.log("verifyWebhook", { appId: a.appId, url: result.url, status: result.status, ok: result.ok });
      return result;
    },
    unsubscribeWebhooks(appId) {
      const a = h.app(appId);
      delete s.world.webhooks.subscriptions[a.appId];
      h.log("unsubscribeWebhooks", { appId: a.appId });
    },
    webhookSubscribed: (appId) => isSubscribed(s, h.app(appId).appId),
    async sendPermissionsWebhook(o) {
      const a = h.app(o.appId);
      const p = h.persona(o.persona);
      const d = queuePermissions(s, { appId: a.appId, userId: appScopedUserId(s, a.appId, p.index), personaId: p.id, changes: o.changes, time: o.time, source: "control" });
      h.log("sendPermissionsWebhook", { persona: p.id, deliveryId: d?.id, time: d?.time });
      return settled(d);
    },
    async sendTestWebhook(appId) {
      const a = h.app(appId);
      const d = queuePermissions(s, { appId: a.appId, userId: "0", changes: [{ field: "connected", verb: "granted" }], source: "test" });
      h.log("sendTestWebhook", { appId: a.appId, deliveryId: d?.id });
      return settled(d);
    },
    async replayWebhook(deliveryId) {
      const old = s.world.webhooks.deliveries.find((x) => x.id === deliveryId);
      if (old) requireSubscribed(old.appId);
      const d = replayDelivery(s, deliveryId);
      h.log("replayWebhook", { deliveryId, replay: d.id });
      return settled(d);
    },
    async deliverWebhooks() {
      await settleDeliveries(s);
      h.log("deliverWebhooks", { at: now(s) });
      return s.world.webhooks.deliveries.map(describeDelivery);
    },
    webhookDeliveries: () => s.world.webhooks.deliveries.map(describeDelivery),
    clearWebhookDeliveries() {
      s.world.webhooks.deliveries = [];
      h.log("clearWebhookDeliveries");
    },
    webhookSignature: (rawBody, appId) => sign(rawBody, h.app(appId).appSecret),
  };
}
