import type { GraphClient } from "@/server/integrations/facebook/client";
import { MetaApiError, MetaThrottleError, MetaTransientError } from "@/server/integrations/facebook/errors";
import { debugTokenResponseSchema, type DebugTokenData } from "@/server/integrations/facebook/schema";
import { verdictForMetaError, type TokenVerdict } from "./token-verdict";
import type { UsageGate } from "./usage-gate";

/**
 * The Graph half of a sweep: `debug_token` for many tokens, 50 per batch request, all with the
 * app token (reference §3, §16). Batches pass the usage gate before they are sent; a throttle
 * (whole batch or single items) closes the gate for Meta's estimate and the items go round
 * again; a transient failure (5xx, timeout, unfinished item) is retried a few times and then
 * reported as `failed` — never as a dead token.
 */
export type TokenCheck =
  | { kind: "valid"; data: DebugTokenData }
  | { kind: "dead"; verdict: TokenVerdict }
  | { kind: "failed"; reason: "transient" | "throttled" | "unexpected"; message: string };

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
      return void results.set(item.key, { kind: "failed", reason: "throttled", message: error.message });
    }
    if (error instanceof MetaTransientError) {
      item.transientFailures++;
      if (item.transientFailures <= retries) return void queue.push(item);
      return void results.set(item.key, { kind: "failed", reason: "transient", message: error.message });
    }
    results.set(item.key, { kind: "failed", reason: "unexpected", message: error.message });
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
      if (data.is_valid) return void results.set(item.key, { kind: "valid", data });
      const verdict = verdictForMetaError({ code: data.error?.code ?? 190, subcode: data.error?.subcode, message: data.error?.message ?? "The access token is not valid." });
      results.set(item.key, verdict ? { kind: "dead", verdict } : { kind: "failed", reason: "unexpected", message: data.error?.message ?? "invalid" });
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
