import { esc } from "./meta/dialog-html";

/**
 * The consent form every sandbox dialog shares. Its accessible names are a contract the journeys
 * rely on: a radio group "Continue as" (`name="persona"`), buttons "Continue" and "Cancel"
 * (`name="action"`). The request travels along as hidden fields; `permissions` is the platform's
 * own markup between the personas and the buttons.
 */
export function consentForm(o: {
  action: string;
  hidden: Record<string, string>;
  personas: { value: string; label: string; checked: boolean }[];
  permissions: string;
}): string {
  const hidden = Object.entries(o.hidden)
    .map(([k, value]) => `<input type="hidden" name="${esc(k)}" value="${esc(value)}">`)
    .join("");
  const radios = o.personas
    .map((p) => `<label><input type="radio" name="persona" value="${esc(p.value)}"${p.checked ? " checked" : ""}> ${esc(p.label)}</label>`)
    .join("");
  return `<form method="post" action="${esc(o.action)}">${hidden}
<fieldset><legend>Continue as</legend>${radios}</fieldset>
${o.permissions}
<div class="actions"><button type="submit" name="action" value="continue">Continue</button><button type="submit" name="action" value="cancel">Cancel</button></div>
</form>`;
}
