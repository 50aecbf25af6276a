import "server-only";
import { z } from "zod";

/** What a one-click link lets its user do, e.g. "relink-connection", "accept-invitation". */
export const actionName = z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, "must be lowercase letters, digits and hyphens");

/** Who may use a link: a signed-in user, or whoever signs in with this email (an invitation). */
export const linkBinding = z.union([
  z.object({ userId: z.string().min(1).max(100) }).strict(),
  z.object({ email: z.email().max(254).transform((e) => e.toLowerCase()) }).strict(),
]);
export type LinkBinding = z.input<typeof linkBinding>;

export const createLinkInput = z.object({
  action: actionName,
  for: linkBinding,
  /** What the action applies to (a connection id, an invitation id). */
  target: z.string().min(1).max(200).optional(),
  /** From a minute to 30 days. */
  expiresInSeconds: z.number().int().min(60).max(30 * 86_400),
});
export type CreateLinkInput = z.input<typeof createLinkInput>;

/** The signed-in person presenting a link. */
export type LinkActor = { id: string; email: string };

/** Why a link was refused; each has its own words for the person who clicked it. */
export type LinkRefusal = "bad_signature" | "wrong_action" | "wrong_user" | "used" | "expired";

export type VerifiedLink = { id: string; action: string; target: string | null; userId: string | null; email: string | null; expiresAt: Date };

export type LinkVerdict = { ok: true; link: VerifiedLink } | { ok: false; reason: LinkRefusal };

/** Plain words for each refusal, for the page the link lands on. */
export const LINK_REFUSALS: Record<LinkRefusal, { message: string; hint: string }> = {
  bad_signature: { message: "This link is not valid.", hint: "Open the link from the mail again, or copy all of it." },
  wrong_action: { message: "This link is not for this page.", hint: "Open the link from the mail as it is." },
  wrong_user: { message: "This link was sent to someone else.", hint: "Sign out, then sign in as the person the mail was sent to." },
  used: { message: "This link was already used.", hint: "Each link works once; you will get a new mail when something needs you again." },
  expired: { message: "This link has expired.", hint: "Ask for a new one, or do it from the app directly." },
};

/** `${origin}${path}?link=<token>`: the URL of a page that handles one action. `path` is the app's own. */
export function actionLinkUrl(origin: string, path: string, token: string): string {
  const url = new URL(path, origin);
  if (!path.startsWith("/") || url.origin !== new URL(origin).origin) throw new Error(`A link path must be the app's own, e.g. "/settings": got "${path}".`);
  url.searchParams.set("link", token);
  return url.toString();
}
