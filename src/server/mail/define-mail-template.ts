import "server-only";
import type { ReactElement } from "react";
import type { z } from "zod";
import type { MailLinkSpec } from "./schema";

/**
 * A mail template: a name, a zod schema for its data, the subject, the links it needs, and a React
 * body (rendered on the server; the plain-text part is derived from it). Adding one is a file in
 * `templates/` that calls `defineMailTemplate`, and its line in `mail-templates.ts`.
 *
 * Props are stored with the message (mail_messages.props) until it is delivered: never put a token
 * or secret in them. A link that acts for the recipient is declared in `links` as `oneClick`; it is
 * minted, signed and bound to the recipient only when the mail is rendered for delivery.
 */
export type MailTemplateSpec<S extends z.ZodType, L extends string> = {
  /** Lowercase letters, digits and hyphens, e.g. "connection-expiring". Stored with each message. */
  name: string;
  props: S;
  /** One line: interpolated values must not bring line breaks (sendMail refuses them). */
  subject(props: z.output<S>): string;
  /** The links the body uses, by name: `{ path }` for a page, `{ oneClick }` for a signed action link. */
  links?(props: z.output<S>): Record<L, MailLinkSpec>;
  /** The whole mail, usually inside `<MailLayout>`; `links` holds the absolute URLs. */
  Body(args: { props: z.output<S>; links: Record<L, string> }): ReactElement;
};

export type MailTemplate<S extends z.ZodType = z.ZodType, L extends string = string> = Readonly<MailTemplateSpec<S, L>>;

const NAME = /^[a-z][a-z0-9-]{1,62}$/;

export function defineMailTemplate<S extends z.ZodType, L extends string = never>(spec: MailTemplateSpec<S, L>): MailTemplate<S, L> {
  if (!NAME.test(spec.name)) throw new Error(`Mail template name "${spec.name}" must be lowercase letters, digits and hyphens.`);
  return Object.freeze({ ...spec });
}
