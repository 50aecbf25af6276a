import { bearerToken } from "../meta/http";
import type { Route, RouteContext } from "../oauth2/profile";
import { json } from "../oauth2/respond";
import { findToken } from "../oauth2/tokens";
import { graphError, noPermission } from "./errors";
import type { ThreadsPersona } from "./personas";
import { tokenProblem } from "./tokens";

/** GET /v1.0/me (and /me) and /v1.0/{threads-user-id}/threads_insights (§5). */

const ME_FIELDS = ["id", "username", "name", "threads_profile_picture_url", "threads_biography"];
const METRICS = ["views", "likes", "replies", "reposts", "quotes", "clicks", "followers_count", "follower_demographics"];

function caller(ctx: RouteContext<ThreadsPersona>): { persona: ThreadsPersona; scopes: string[] } | Response {
  const token = ctx.query.access_token ?? bearerToken(ctx.request.headers);
  const problem = tokenProblem(ctx.rt, token);
  const found = findToken(ctx.rt, token);
  ctx.noteToken(found?.rec.id ?? null);
  if (problem) return problem;
  return { persona: ctx.rt.persona(found!.grant.personaId)!, scopes: found!.grant.scopes };
}

export const meRoute: Route<ThreadsPersona> = {
  method: "GET",
  path: /^\/(?:v\d+\.\d+\/)?me$/,
  kind: "api",
  handle(ctx) {
    const c = caller(ctx);
    if (c instanceof Response) return c;
    if (!c.scopes.includes("threads_basic")) return noPermission();
    const fields = (ctx.query.fields ?? "id").split(",").map((x) => x.trim()).filter(Boolean);
    const unknown = fields.find((f) => !ME_FIELDS.includes(f));
    if (unknown) return graphError(100, `(#100) Tried accessing nonexisting field (${unknown}) on node type (ThreadsUser)`);
    const p = c.persona;
    const values: Record<string, unknown> = {
      id: p.externalId,
      username: p.handle,
      name: p.name,
      threads_profile_picture_url: `${ctx.base}/_assets/avatar/${p.id}.svg`,
      threads_biography: p.biography,
    };
    return json(Object.fromEntries(fields.map((f) => [f, values[f]])));
  },
};

export const insightsRoute: Route<ThreadsPersona> = {
  method: "GET",
  path: /^\/(?:v\d+\.\d+\/)?([^/]+)\/threads_insights$/,
  kind: "api",
  handle(ctx) {
    const c = caller(ctx);
    if (c instanceof Response) return c;
    const id = ctx.match?.[1];
    if (id !== "me" && id !== c.persona.externalId) {
      return graphError(100, `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, { subcode: 33 });
    }
    if (!c.scopes.includes("threads_manage_insights")) return noPermission();
    const metrics = (ctx.query.metric ?? "").split(",").map((x) => x.trim()).filter(Boolean);
    if (metrics.length === 0) return graphError(100, "(#100) The parameter metric is required");
    const bad = metrics.find((m) => !METRICS.includes(m));
    if (bad) return graphError(100, `(#100) metric[0] must be one of the following values: ${METRICS.join(", ")}`);
    const p = c.persona;
    const totals: Record<string, number> = { views: p.views, likes: p.likes, followers_count: p.stats.followers ?? 0 };
    return json({
      data: metrics.map((m) => ({
        name: m,
        period: "day",
        title: m,
        description: m === "followers_count" ? "The number of followers on your profile." : `The number of ${m} on your posts.`,
        total_value: { value: totals[m] ?? 0 },
        id: `${p.externalId}/insights/${m}/day`,
      })),
    });
  },
};
