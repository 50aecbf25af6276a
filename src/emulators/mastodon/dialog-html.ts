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
  const hidden = Object.entries(v.hidden)
    .map(([k, value]) => `<input type="hidden" name="${esc(k)}" value="${esc(value)}">`)
    .join("");
  const radios = v.personas
    .map((p) => `<label><input type="radio" name="persona" value="${esc(p.value)}"${p.value === v.selected ? " checked" : ""}> ${esc(p.label)}</label>`)
    .join("");
  const scopes = v.scopes.map((s) => `<li><code>${esc(s)}</code></li>`).join("");
  return page(
    "Authorization required",
    `<h1>Authorization required</h1>
<p><strong>${esc(v.appName)}</strong> would like permission to access your account on ${esc(v.serverTitle)} (${esc(v.domain)}).</p>
${v.error ? `<p role="alert">${esc(v.error)}</p>` : ""}
<form method="post" action="${esc(v.action)}">${hidden}
<fieldset><legend>Continue as</legend>${radios}</fieldset>
<p>Review permissions</p><ul>${scopes}</ul>
<div class="actions"><button type="submit" name="action" value="continue">Continue</button><button type="submit" name="action" value="cancel">Cancel</button></div>
</form>`,
  );
}
