import "server-only";
import { z } from "zod";

/**
 * The Graph API shapes we read. Every response is parsed with one of these before we trust it;
 * unknown extra fields pass through untouched (Meta adds fields without notice).
 */

/** @link https://developers.facebook.com/documentation/facebook-login/guides/access-tokens/get-long-lived */
export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  // Absent when the resulting token does not expire.
  expires_in: z.number().int().nonnegative().optional(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/** @link https://developers.facebook.com/docs/graph-api/guides/error-handling */
export const graphErrorSchema = z.object({
  message: z.string(),
  type: z.string().optional(),
  code: z.number().int(),
  error_subcode: z.number().int().optional(),
  is_transient: z.boolean().optional(),
  error_user_title: z.string().optional(),
  error_user_msg: z.string().optional(),
  error_data: z.unknown().optional(),
  fbtrace_id: z.string().optional(),
});
export type GraphErrorBody = z.infer<typeof graphErrorSchema>;

/** @link https://developers.facebook.com/docs/graph-api/guides/error-handling */
export const errorEnvelopeSchema = z.object({ error: graphErrorSchema });

/** @link https://developers.facebook.com/docs/graph-api/reference/debug_token */
export const granularScopeSchema = z.object({ scope: z.string(), target_ids: z.array(z.string()).optional() });

/** @link https://developers.facebook.com/docs/graph-api/reference/debug_token */
export const debugTokenDataSchema = z.object({
  app_id: z.string().optional(),
  type: z.string().optional(),
  application: z.string().optional(),
  data_access_expires_at: z.number().int().optional(),
  // Unix seconds; 0 means the token never expires.
  expires_at: z.number().int().optional(),
  is_valid: z.boolean(),
  // Only present for long-lived tokens.
  issued_at: z.number().int().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  scopes: z.array(z.string()).default([]),
  granular_scopes: z.array(granularScopeSchema).optional(),
  user_id: z.string().optional(),
  profile_id: z.string().optional(),
  // Invalid input tokens still answer 200, with the reason nested here (key `subcode`, not `error_subcode`).
  error: z.object({ code: z.number().int(), subcode: z.number().int().optional(), message: z.string() }).optional(),
});
export type DebugTokenData = z.infer<typeof debugTokenDataSchema>;

/** @link https://developers.facebook.com/docs/graph-api/reference/debug_token */
export const debugTokenResponseSchema = z.object({ data: debugTokenDataSchema });

/** @link https://developers.facebook.com/docs/graph-api/reference/user/permissions/ */
export const permissionSchema = z.object({
  permission: z.string(),
  // granted | declined | expired; kept open so a new status never breaks a link.
  status: z.string(),
});

/** @link https://developers.facebook.com/docs/graph-api/reference/user/permissions/ */
export const permissionsResponseSchema = z.object({ data: z.array(permissionSchema) });
export type PermissionsResponse = z.infer<typeof permissionsResponseSchema>;

/** @link https://developers.facebook.com/docs/graph-api/reference/user/permissions/ */
export const successResponseSchema = z.object({ success: z.boolean() });

/** @link https://developers.facebook.com/docs/marketing-api/reference/business */
export const businessSchema = z.object({ id: z.string().regex(/^\d+$/), name: z.string() });
export type Business = z.infer<typeof businessSchema>;

/** @link https://developers.facebook.com/docs/marketing-api/reference/ad-account */
export const adAccountSchema = z.object({
  id: z.string().regex(/^act_\d+$/),
  account_id: z.string().regex(/^\d+$/),
  name: z.string(),
  currency: z.string().min(1),
  timezone_name: z.string().min(1),
  account_status: z.number().int(),
  disable_reason: z.number().int().optional(),
  // Present only for business-owned accounts.
  business: businessSchema.optional(),
});
export type GraphAdAccount = z.infer<typeof adAccountSchema>;

/** @link https://developers.facebook.com/docs/graph-api/results */
export const pagingSchema = z.object({
  cursors: z.object({ before: z.string().optional(), after: z.string().optional() }).optional(),
  // The end of a list is signalled only by the absence of `next`.
  next: z.string().optional(),
  previous: z.string().optional(),
});

/** @link https://developers.facebook.com/docs/graph-api/results */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), paging: pagingSchema.optional() });
}
export type Page<T> = { data: T[]; paging?: z.infer<typeof pagingSchema> };

/** @link https://developers.facebook.com/docs/graph-api/batch-requests */
export const batchResponseItemSchema = z
  .object({
    code: z.number().int(),
    headers: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
    // The item's JSON, as a string: parsed a second time.
    body: z.string(),
  })
  .nullable();

/** @link https://developers.facebook.com/docs/graph-api/batch-requests */
export const batchResponseSchema = z.array(batchResponseItemSchema);
