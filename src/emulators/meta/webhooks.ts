import { randomBytes } from "node:crypto";
import { permissionsWebhookBody, webhookSignatureHeaders, type PermissionChange } from "./callbacks";
import { nextSeq, now, type SandboxState } from "./state";
import type { WebhookDelivery } from "./world";

/**
 * Permissions webhooks (§14): queued when a grant changes (or by a control), signed with the app's
 * secret, POSTed to the app's configured webhook URL only, retried on the sandbox clock until about
 * 36 hours after the first attempt, every attempt kept in the world.
 */

/** When the next attempt is due, counted from the first attempt (Meta: "decreasing frequency over ~36 h" [M]). */
export const RETRY_OFFSETS_MS = [1, 5, 15, 60, 180, 360, 720, 1440, 2160].map((m) => m * 60_000);
const KEEP_DELIVERIES = 1000;
const USER_AGENT = "facebookplatform/1.0 (+http://developers.facebook.com)";

export class NotSubscribed extends Error {
  constructor(appId: string) {
    super(`App ${appId} is not subscribed to permissions webhooks: run the verification handshake first (POST /_control/webhooks/verify)`);
    this.name = "NotSubscribed";
  }
}

export const isSubscribed = (s: SandboxState, appId: string) => s.world.webhooks.subscriptions[appId] !== undefined;

function record(s: SandboxState, d: WebhookDelivery): WebhookDelivery {
  const list = s.world.webhooks.deliveries;
  list.push(d);
  if (list.length > KEEP_DELIVERIES) list.splice(0, list.length - KEEP_DELIVERIES);
  startDue(s);
  return d;
}

function newDelivery(s: SandboxState, appId: string, body: string, time: number, o: Pick<WebhookDelivery, "source" | "personaId" | "replayOf">): WebhookDelivery {
  const app = s.apps.get(appId);
  if (!app) throw new Error(`unknown app ${appId}`);
  return { id: `wh_${nextSeq(s)}`, appId, url: app.webhookUrl, body, time, createdAt: now(s), state: "pending", attempts: [], nextAttemptAt: now(s), ...o };
}

/**
 * Queue a `permissions` notification for a user of an app. Grant changes of an app without a
 * subscription are dropped (Meta sends nothing); a control asking for one gets `NotSubscribed`.
 */
export function queuePermissions(
  s: SandboxState,
  o: { appId: string; userId: string; personaId?: string; changes: PermissionChange[]; time?: number; source: "change" | "control" | "test" },
): WebhookDelivery | null {
  if (!isSubscribed(s, o.appId)) {
    if (o.source === "change") return null;
    throw new NotSubscribed(o.appId);
  }
  const time = o.time ?? Math.floor(now(s) / 1000);
  return record(s, newDelivery(s, o.appId, permissionsWebhookBody(o.userId, time, o.changes), time, { source: o.source, personaId: o.personaId }));
}

/** The same bytes (and so the same signature) once more, as Meta's retries and replays look. */
export function replayDelivery(s: SandboxState, id: string): WebhookDelivery {
  const old = s.world.webhooks.deliveries.find((d) => d.id === id);
  if (!old) throw new Error(`unknown delivery ${id}`);
  return record(s, newDelivery(s, old.appId, old.body, old.time, { source: "replay", personaId: old.personaId, replayOf: old.id }));
}

/** Start every attempt that is due and not already running. */
export function startDue(s: SandboxState): void {
  const t = now(s);
  for (const d of s.world.webhooks.deliveries) {
    if (d.state !== "pending" || d.nextAttemptAt === null || d.nextAttemptAt > t || s.webhookRuntime.inFlight.has(d.id)) continue;
    const running = attempt(s, d).finally(() => s.webhookRuntime.inFlight.delete(d.id));
    s.webhookRuntime.inFlight.set(d.id, running);
  }
}

/** Attempts every due delivery and waits until none is running (for tests and controls). */
export async function settleDeliveries(s: SandboxState): Promise<void> {
  startDue(s);
  while (s.webhookRuntime.inFlight.size > 0) await Promise.all([...s.webhookRuntime.inFlight.values()]);
}

async function withTimeout(s: SandboxState, request: Request): Promise<Response> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${s.webhookRuntime.timeoutMs} ms`)), s.webhookRuntime.timeoutMs);
  });
  try {
    return await Promise.race([s.webhookRuntime.transport(request), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function attempt(s: SandboxState, d: WebhookDelivery): Promise<void> {
  const app = s.apps.get(d.appId);
  const at = now(s);
  if (!app) {
    d.attempts.push({ at, error: "the app is no longer configured" });
    [d.state, d.nextAttemptAt] = ["failed", null];
    return;
  }
  let status: number | undefined;
  let error: string | undefined;
  try {
    const res = await withTimeout(
      s,
      new Request(d.url, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": USER_AGENT, ...webhookSignatureHeaders(d.body, app.appSecret) },
        body: d.body,
        redirect: "manual",
      }),
    );
    status = res.status;
    await res.body?.cancel();
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  d.attempts.push(status === undefined ? { at, error } : { at, status });
  if (status !== undefined && status >= 200 && status < 300) {
    [d.state, d.nextAttemptAt] = ["delivered", null];
    return;
  }
  const first = d.attempts[0]?.at ?? at;
  const offset = RETRY_OFFSETS_MS[d.attempts.length - 1];
  if (offset === undefined) [d.state, d.nextAttemptAt] = ["failed", null];
  else d.nextAttemptAt = first + offset;
}

/** The GET handshake against the app's configured URL; a match subscribes the app. */
export async function verifySubscription(s: SandboxState, appId: string, verifyToken: string): Promise<{ url: string; status: number; body: string; challenge: string; ok: boolean }> {
  const app = s.apps.get(appId);
  if (!app) throw new Error(`unknown app ${appId}`);
  const challenge = String(randomBytes(4).readUInt32BE(0));
  const u = new URL(app.webhookUrl);
  u.searchParams.set("hub.mode", "subscribe");
  u.searchParams.set("hub.challenge", challenge);
  u.searchParams.set("hub.verify_token", verifyToken);
  const res = await withTimeout(s, new Request(u, { redirect: "manual", headers: { "user-agent": USER_AGENT } }));
  const body = await res.text();
  const ok = res.status === 200 && body.trim() === challenge;
  if (ok) s.world.webhooks.subscriptions[appId] = { verifiedAt: now(s) };
  return { url: app.webhookUrl, status: res.status, body: body.slice(0, 500), challenge, ok };
}

/** What a delivery looks like to a test: the body parsed, attempts as kept. */
export function describeDelivery(d: WebhookDelivery) {
  return { ...d, payload: JSON.parse(d.body) as unknown };
}
