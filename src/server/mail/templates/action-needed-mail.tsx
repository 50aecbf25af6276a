import "server-only";
import { z } from "zod";
import { defineMailTemplate } from "../define-mail-template";
import { mailLinkSpec } from "../schema";
import { MailButton, MailHeading, MailLayout, MailText } from "./mail-layout";

/**
 * "Something needs you": a heading, a short message, and one button — to a page of the app, or a
 * signed one-click link that acts for the recipient. The generic mail until a purpose has its own.
 */
export const actionNeededMail = defineMailTemplate({
  name: "action-needed",
  props: z.object({
    recipientName: z.string().trim().min(1).max(100).optional(),
    title: z.string().trim().min(1).max(150),
    message: z.string().trim().min(1).max(2_000),
    action: z.object({ label: z.string().trim().min(1).max(60), link: mailLinkSpec }),
    /** A line after the button, e.g. when the link stops working. */
    note: z.string().trim().min(1).max(500).optional(),
  }),
  subject: (p) => p.title,
  links: (p) => ({ action: p.action.link }),
  Body: ({ props, links }) => (
    <MailLayout preview={props.message.slice(0, 120)}>
      <MailHeading>{props.title}</MailHeading>
      {props.recipientName && <MailText>Hello {props.recipientName},</MailText>}
      {props.message.split(/\n{2,}/).map((paragraph, i) => (
        <MailText key={i}>{paragraph}</MailText>
      ))}
      <MailButton href={links.action}>{props.action.label}</MailButton>
      {props.note && <MailText muted>{props.note}</MailText>}
    </MailLayout>
  ),
});
