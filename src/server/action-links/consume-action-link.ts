import "server-only";
import { env } from "@/env";
import type { Db } from "@/server/db";
import { parseLinkToken, signatureMatches } from "./action-link-signature";
import type { LinkActor, LinkRefusal, LinkVerdict, VerifiedLink } from "./schema";

/**
 * Checking and using a one-click link. Refusals, in the order they are decided:
 *   bad_signature  not a link we made, or it (or its row) was altered, or its row is gone
 *   wrong_action   a genuine link for another action (e.g. an invitation opened at the re-link page)
 *   wrong_user     made for someone else: the signed-in user is not its user (or email)
 *   used           already used once
 *   expired        past its expiry
 * A refused link is never used up, so the right person can still use it after someone else tried.
 */
type Options = { action: string; now?: Date; secret?: string };

async function verify(db: Db, token: string, o: Options & { actor: LinkActor | null }): Promise<LinkVerdict> {
  const parsed = parseLinkToken(token);
  if (!parsed) return refuse("bad_signature");
  const row = await db.actionLink.findUnique({ where: { id: parsed.id } });
  if (!row || !signatureMatches(row, parsed.signature, o.secret ?? env().authSecret)) return refuse("bad_signature");
  if (row.action !== o.action) return refuse("wrong_action");
  if (o.actor && !boundTo(row, o.actor)) return refuse("wrong_user");
  if (row.usedAt) return refuse("used");
  if (row.expiresAt.getTime() <= (o.now ?? new Date()).getTime()) return refuse("expired");
  const link: VerifiedLink = { id: row.id, action: row.action, target: row.target, userId: row.userId, email: row.email, expiresAt: row.expiresAt };
  return { ok: true, link };
}

/**
 * Whether the link would be accepted now, without using it. With `actor: null` (nobody signed in)
 * the user is not checked: the page can send a signed-out visitor to sign in and back.
 */
export function checkActionLink(db: Db, token: string, o: Options & { actor: LinkActor | null }): Promise<LinkVerdict> {
  return verify(db, token, o);
}

/** Uses the link up for the signed-in `actor`: of two concurrent uses exactly one succeeds. */
export async function consumeActionLink(db: Db, token: string, o: Options & { actor: LinkActor }): Promise<LinkVerdict> {
  const verdict = await verify(db, token, o);
  if (!verdict.ok) return verdict;
  const now = o.now ?? new Date();
  const taken = await db.actionLink.updateMany({
    where: { id: verdict.link.id, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now, usedBy: o.actor.id },
  });
  return taken.count === 1 ? verdict : refuse("used");
}

function boundTo(row: { userId: string | null; email: string | null }, actor: LinkActor): boolean {
  if (row.userId !== null) return row.userId === actor.id;
  return row.email !== null && row.email === actor.email.toLowerCase();
}

function refuse(reason: LinkRefusal): LinkVerdict {
  return { ok: false, reason };
}
