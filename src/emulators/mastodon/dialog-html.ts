import { consentForm } from "../consent-form";
import { esc, page } from "./responses";

/** The consent page: a plain form, no JavaScript, with the accessible names every sandbox shares. */

export type ConsentView = {
  action: string;
  appName: string;
  serverTitle: string;
  domain: string;
  hidden: Record<string, string>;
  personas: { value: string; label: string }[];
  selected?: string;
  scopes: string[];
  error?: string;
};

export function consentPage(v: ConsentView): string {
  const scopes = v.scopes.map((s) => `<li><code>${esc(s)}</code></li>`).join("");
  return page(
    "Authorization required",
    `<h1>Authorization required</h1>
<p><strong>${esc(v.appName)}</strong> would like permission to access your account on ${esc(v.serverTitle)} (${esc(v.domain)}).</p>
${v.error ? `<p role="alert">${esc(v.error)}</p>` : ""}
${consentForm({
  action: v.action,
  hidden: v.hidden,
  personas: v.personas.map((p) => ({ ...p, checked: p.value === v.selected })),
  permissions: `<p>Review permissions</p><ul>${scopes}</ul>`,
})}`,
  );
}
