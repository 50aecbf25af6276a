import "server-only";
import { createElement } from "react";
import { render, toPlainText } from "@react-email/components";
import type { MailTemplate } from "./define-mail-template";

/**
 * A template with its (parsed) props and resolved links → the HTML part and the plain-text part.
 * The text is derived from the HTML (react-email's html-to-text settings: a button reads
 * "label https://…"), so the two parts never say different things.
 */
export async function renderMail(template: MailTemplate, props: unknown, links: Record<string, string>): Promise<{ html: string; text: string }> {
  const html = await render(createElement(template.Body, { props, links }));
  const text = toPlainText(html, { selectors: [{ selector: "h1", options: { uppercase: false, leadingLineBreaks: 2 } }] }).trim();
  return { html, text };
}
