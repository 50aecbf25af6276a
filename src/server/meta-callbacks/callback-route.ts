import { NextResponse } from "next/server";
import { z } from "zod";
import { env } from "@/env";
import type { Prisma } from "@prisma/client";
import type { DbTx } from "@/server/audit/record-audit-event";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { readForm } from "@/server/http/read-input";
import { route } from "@/server/http/respond";
import { logger } from "@/server/logger";
import { runCallbackOnce } from "./run-callback-once";
import { verifySignedRequest, type SignedRequestPayload } from "./verify-signed-request";

/**
 * Route handler for a Meta callback: Meta POSTs `signed_request=…` form-encoded, with no cookie,
 * so there is no session and no Origin check — the signature is the authentication. Parse the
 * form with zod, verify, run one function once per signed_request (run-callback-once.ts), answer
 * JSON. The function gets the request's `issued_at`: a callback signed before a connection was
 * last linked is about an older grant and must leave the newer link alone.
 */
export type CallbackContext = { now: Date; issuedAt: Date };
const formSchema = z.object({ signed_request: z.string().min(3).max(8192) });

export function metaCallback<T extends Prisma.InputJsonValue>(run: (tx: DbTx, payload: SignedRequestPayload, ctx: CallbackContext) => Promise<T>, kind: string) {
  return route(async (request: Request) => {
    const form = formSchema.safeParse(await readForm(request));
    if (!form.success) {
      throw new AppError({ code: "VALIDATION_ERROR", message: "signed_request is required.", hint: "Send it form-encoded, as Meta does.", field: "signed_request" });
    }
    const now = new Date();
    const config = env().meta;
    let payload: SignedRequestPayload;
    try {
      payload = verifySignedRequest(form.data.signed_request, { appSecret: config.appSecret, now, maxAgeSeconds: config.signedRequestMaxAgeSeconds });
    } catch (error) {
      // Worth a look (wrong secret configured, or someone probing): log why, never the request.
      logger.warn({ callback: kind, reason: error instanceof Error ? error.message : "invalid" }, "meta callback refused");
      throw error;
    }
    const issuedAt = new Date(payload.issued_at * 1000);
    const expiresAt = new Date((payload.issued_at + config.signedRequestMaxAgeSeconds + 1) * 1000);
    const result = await runCallbackOnce(db(), { signedRequest: form.data.signed_request, kind, now, expiresAt }, (tx) => run(tx, payload, { now, issuedAt }));
    logger.info({ callback: kind }, "meta callback handled");
    return NextResponse.json(result);
  });
}
