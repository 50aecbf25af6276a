import "server-only";
import type { Db } from "@/server/db";
import { createActionLink } from "@/server/action-links/create-action-link";
import { actionLinkUrl } from "@/server/action-links/schema";
import { mailLinkSpec, type MailLinkSpec } from "./schema";

/**
 * The absolute URLs of a mail's links, made when the mail is rendered for delivery: a page link
 * becomes `${AUTH_URL}${path}`; a one-click link is minted now (a new signed link, bound to the
 * recipient's account or address), so no link token is ever stored with the message.
 */
export async function resolveMailLinks(
  db: Db,
  specs: Record<string, MailLinkSpec>,
  o: { origin: string; userId: string | null; to: string; now: Date; secret: string },
): Promise<Record<string, string>> {
  const links: Record<string, string> = {};
  for (const [name, raw] of Object.entries(specs)) {
    const spec = mailLinkSpec.parse(raw);
    if ("path" in spec) {
      const url = new URL(spec.path, o.origin);
      if (url.origin !== new URL(o.origin).origin) throw new Error(`Mail link "${name}" must point into the app.`);
      links[name] = url.toString();
      continue;
    }
    const { action, path, target, expiresInMinutes, bind } = spec.oneClick;
    if (bind === "user" && !o.userId) throw new Error(`Mail link "${name}" is bound to the recipient's account, but the message names no user.`);
    const { token } = await createActionLink(
      db,
      { action, for: bind === "user" ? { userId: o.userId! } : { email: o.to }, target, expiresInSeconds: expiresInMinutes * 60 },
      { now: o.now, secret: o.secret },
    );
    links[name] = actionLinkUrl(o.origin, path, token);
  }
  return links;
}
