import "server-only";
import type { TokenCheck } from "@/server/integrations/types";
import { classifyFacebookError, verdictForMetaError } from "./classify-error";
import type { GraphClient } from "./client";
import { MetaApiError, MetaThrottleError, MetaTransientError } from "./errors";
import { debugTokenResponseSchema } from "./schema";
import type { UsageGate } from "./usage-gate";

/**
 * The Graph half of a sweep: `debug_token` for many tokens, 50 per batch request, all with the
 * app token (reference §3, §16). Batches pass the usage gate before they are sent; a throttle
 * (whole batch or single items) closes the gate for Meta's estimate and the items go round
 * again; a transient failure (5xx, timeout, unfinished item) is retried a few times and then
 * reported as `failed` — never as a dead token.
 */
export type CheckTokensOptions = {
  gate: UsageGate;
  batchSize?: number;
  concurrency?: number;
  /** Extra rounds for items that failed transiently. */
  retries?: number;
  /** Rounds an item may be throttled before it is left for the next sweep. */
  maxThrottleRounds?: number;
};

type Item = { key: string; token: string; transientFailures: number; throttles: number };

export const MAX_BATCH = 50;

export async function checkTokens(
  graph: GraphClient,
  tokens: readonly { key: string; token: string }[],
  o: CheckTokensOptions,
): Promise<Map<string, TokenCheck>> {
  const batchSize = Math.min(o.batchSize ?? MAX_BATCH, MAX_BATCH);
  const retries = o.retries ?? 2;
  const maxThrottleRounds = o.maxThrottleRounds ?? 5;
  const results = new Map<string, TokenCheck>();
  let queue: Item[] = tokens.map((t) => ({ ...t, transientFailures: 0, throttles: 0 }));

  /** Puts an item back for another round, or records why it is given up. */
  function retry(item: Item, error: MetaApiError) {
    if (error instanceof MetaThrottleError) {
      o.gate.throttled(error.retryAfterSeconds);
      item.throttles++;
      if (item.throttles <= maxThrottleRounds) return void queue.push(item);
      return void results.set(item.key, { kind: "failed", error: classifyFacebookError(error) });
    }
    if (error instanceof MetaTransientError) {
      item.transientFailures++;
      if (item.transientFailures <= retries) return void queue.push(item);
      return void results.set(item.key, { kind: "failed", error: classifyFacebookError(error) });
    }
    results.set(item.key, { kind: "failed", error: classifyFacebookError(error) });
  }

  async function runChunk(chunk: Item[]) {
    await o.gate.pass();
    let answers;
    try {
      answers = await graph.batch(
        chunk.map((item) => ({ path: "debug_token", params: { input_token: item.token }, schema: debugTokenResponseSchema })),
        graph.appToken,
      );
    } catch (error) {
      const e = error instanceof MetaApiError ? error : new MetaTransientError({ message: "The batch request failed.", cause: error });
      for (const item of chunk) retry(item, e);
      return;
    }
    answers.forEach((answer, i) => {
      const item = chunk[i]!;
      if (!answer.ok) return retry(item, answer.error);
      const data = answer.value.data;
      if (data.is_valid) {
        return void results.set(item.key, {
          kind: "valid",
          grantedScopes: data.scopes,
          // expires_at 0 = never; data_access_expires_at 0 = unknown (keep what is stored).
          tokenExpiresAt: data.expires_at === undefined ? undefined : data.expires_at === 0 ? null : new Date(data.expires_at * 1000),
          dataAccessExpiresAt: data.data_access_expires_at ? new Date(data.data_access_expires_at * 1000) : undefined,
        });
      }
      const verdict = verdictForMetaError({ code: data.error?.code ?? 190, subcode: data.error?.subcode, message: data.error?.message ?? "The access token is not valid." });
      results.set(item.key, verdict.verdict === "needs_relink" || verdict.verdict === "permissions_missing" ? { kind: "dead", error: verdict } : { kind: "failed", error: verdict });
    });
  }

  // Rounds: each drains the queue with a few batches in flight; retried items form the next round.
  while (queue.length > 0) {
    const round = queue;
    queue = [];
    const chunks: Item[][] = [];
    for (let i = 0; i < round.length; i += batchSize) chunks.push(round.slice(i, i + batchSize));
    let next = 0;
    const worker = async () => {
      while (next < chunks.length) await runChunk(chunks[next++]!);
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency ?? 4, chunks.length)) }, worker));
  }
  return results;
}
