import "server-only";
import { z } from "zod";

/** Request bodies and params of the connection routes and actions (shared by routes and server actions). */
export const connectionIdBody = z.strictObject({ connectionId: z.string().min(1).max(64) });

export const connectionIdParam = z.strictObject({ id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/) });

export const statusQuery = z.strictObject({});

const providerId = z.string().regex(/^[a-z0-9-]{1,40}$/, "must be a provider id");

export const linkStartInput = z.strictObject({ provider: providerId });

export const quickConnectInput = z.strictObject({ provider: providerId, persona: z.string().regex(/^[a-z0-9_-]{1,64}$/, "must be a sandbox persona id") });
