import "server-only";
import { z } from "zod";
import { connectionIdBody } from "@/server/connections/schema";

/** Inputs of the ad-account functions, shared by the route handlers and the server code. */

// Query strings give "" for an empty field: treat it as absent.
const emptyAsUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

export const listAdAccountsQuery = z.object({
  q: z.preprocess(emptyAsUndefined, z.string().trim().max(100).optional()),
  connectionId: z.preprocess(emptyAsUndefined, z.string().min(1).max(64).optional()),
  cursor: z.preprocess(emptyAsUndefined, z.string().max(1000).optional()),
  limit: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(200).default(50)),
});
export type ListAdAccountsQuery = z.input<typeof listAdAccountsQuery>;

export const selectAdAccountInput = z.strictObject({
  adAccountId: z.string().regex(/^act_\d{1,20}$/, 'must be an ad account id like "act_1234567890"'),
  // Only needed when the same ad account is reachable through two linked Facebook identities.
  connectionId: z.string().min(1).max(64).optional(),
});

export const syncAdAccountsInput = connectionIdBody;

/** The opaque keyset cursor: the sort key of the last row of a page. */
export const adAccountCursor = z.object({
  b: z.string().nullable(),
  n: z.string(),
  a: z.string(),
  i: z.string(),
});
export type AdAccountCursor = z.infer<typeof adAccountCursor>;
