import { createHmac, randomBytes } from "node:crypto";

/** Signing what Meta sends to the app: signed_request callbacks (§13) and webhooks (§14). */

/** `<sig>.<payload>`: base64url (no padding) HMAC-SHA256 over the payload segment as transmitted. */
export function signRequest(payload: Record<string, unknown>, appSecret: string): string {
  const body = Buffer.from(JSON.stringify({ algorithm: "HMAC-SHA256", ...payload })).toString("base64url");
  const sig = createHmac("sha256", appSecret).update(body).digest("base64url");
  return `${sig}.${body}`;
}

export function webhookSignatureHeaders(rawBody: string, appSecret: string): Record<string, string> {
  return {
    "X-Hub-Signature-256": `sha256=${createHmac("sha256", appSecret).update(rawBody).digest("hex")}`,
    "X-Hub-Signature": `sha1=${createHmac("sha1", appSecret).update(rawBody).digest("hex")}`,
  };
}

export type Delivery = { status: number; body: string };

/** A delivery to a URL outside the allowed origins: the sandbox is not a general-purpose fetcher. */
export class DeliveryRefused extends Error {
  constructor(url: string, allowed: Iterable<string>) {
    super(`Callbacks are delivered only to ${[...allowed].join(", ") || "(no origin)"}, not to ${url}`);
    this.name = "DeliveryRefused";
  }
}

/** The origins a sandbox delivers to: the configured ones, else those of its apps' redirect URIs. */
export function deliveryOrigins(configured: string[] | undefined, redirectUris: Iterable<string>): Set<string> {
  const origins = new Set<string>();
  for (const url of configured ?? redirectUris) {
    try {
      origins.add(new URL(url).origin);
    } catch {
      // Not a URL: nothing can match it.
    }
  }
  return origins;
}

export function assertDeliverable(url: string, allowed: Set<string>): void {
  let origin: string | null = null;
  try {
    origin = new URL(url).origin;
  } catch {
    origin = null;
  }
  if (!origin || !allowed.has(origin)) throw new DeliveryRefused(url, allowed);
}

async function readDelivery(res: Response): Promise<Delivery> {
  return { status: res.status, body: await res.text() };
}

export async function postSignedRequest(url: string, signed: string): Promise<Delivery> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ signed_request: signed }).toString(),
    redirect: "manual",
  });
  return readDelivery(res);
}

export type PermissionChange = { field: string; verb: "granted" | "revoked"; targetIds?: string[] };

export function permissionsWebhookBody(userId: string, time: number, changes: PermissionChange[]): string {
  return JSON.stringify({
    object: "permissions",
    entry: [
      {
        id: userId,
        uid: userId,
        time,
        changes: changes.map((c) => ({
          field: c.field,
          value: c.targetIds ? { verb: c.verb, target_ids: c.targetIds } : { verb: c.verb },
        })),
      },
    ],
  });
}

export async function postWebhook(url: string, rawBody: string, appSecret: string): Promise<Delivery> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...webhookSignatureHeaders(rawBody, appSecret) },
    body: rawBody,
    redirect: "manual",
  });
  return readDelivery(res);
}

/** The GET handshake: the endpoint must echo hub.challenge as the plain body when the token matches. */
export async function verifyWebhookEndpoint(url: string, verifyToken: string): Promise<Delivery & { ok: boolean; challenge: string }> {
  const challenge = String(randomBytes(4).readUInt32BE(0));
  const u = new URL(url);
  u.searchParams.set("hub.mode", "subscribe");
  u.searchParams.set("hub.challenge", challenge);
  u.searchParams.set("hub.verify_token", verifyToken);
  const res = await fetch(u, { redirect: "manual" });
  const d = await readDelivery(res);
  return { ...d, challenge, ok: d.status === 200 && d.body.trim() === challenge };
}
