import "server-only";
import type { MailTemplate } from "./define-mail-template";
import { actionNeededMail } from "./templates/action-needed-mail";

/**
 * Every mail template, by name (a message stores its template's name; delivery finds it here).
 * Adding one: a `templates/<name>-mail.tsx` that calls `defineMailTemplate`, and its line here.
 */
export const MAIL_TEMPLATES: readonly MailTemplate[] = [actionNeededMail] as readonly MailTemplate[];

const byName = new Map(MAIL_TEMPLATES.map((t) => [t.name, t]));
if (byName.size !== MAIL_TEMPLATES.length) throw new Error("Two mail templates share a name.");

export function findMailTemplate(name: string): MailTemplate | undefined {
  return byName.get(name);
}
