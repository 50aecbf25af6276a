import type { OfferedAsset, OfferedAssets } from "./dialog-assets";
import type { Persona } from "./personas";
import { dialogLabel } from "./personas";

/** Server-rendered consent pages: plain forms, no JavaScript, accessible names tests can rely on. */

export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const STYLE = `
body{font-family:system-ui,sans-serif;background:#f0f2f5;color:#1c1e21;margin:0}
main{max-width:34rem;margin:2rem auto;background:#fff;border-radius:8px;padding:1.5rem;box-shadow:0 1px 3px #0003}
.badge{display:inline-block;background:#ffe08a;color:#5c4400;font-weight:600;border-radius:4px;padding:.1rem .5rem;font-size:.8rem}
h1{font-size:1.25rem}fieldset{border:1px solid #dddfe2;border-radius:6px;margin:1rem 0}
label{display:inline-block;padding:.25rem 0}fieldset>label{display:block}.actions{display:flex;gap:.5rem;justify-content:flex-end}
button{font-size:1rem;padding:.5rem 1rem;border-radius:6px;border:1px solid #ccd0d5;background:#f5f6f7}
button[value=continue]{background:#1877f2;border-color:#1877f2;color:#fff}.note{color:#606770;font-size:.875rem}
.error{color:#be1e2d}form.inline{display:inline}`;

export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>${STYLE}</style></head><body><main><p class="badge">Sandbox</p>${body}</main></body></html>`;
}

export function errorPage(title: string, message: string): string {
  return page(title, `<h1>${esc(title)}</h1><p role="alert">${esc(message)}</p><p class="note">Facebook Login (Meta sandbox) did not redirect back to the app.</p>`);
}

export type ConsentView = {
  action: string;
  appName: string;
  hidden: Record<string, string>;
  personas: Persona[];
  permissions: string[];
  assets: OfferedAssets[];
  error?: string;
};

/** One fieldset of asset checkboxes; the label is exactly the asset's name (notes sit outside it). */
function assetFieldset(personaId: string, legend: string, name: string, items: OfferedAsset[]): string {
  if (items.length === 0) return "";
  const boxes = items
    .map(
      (a) =>
        `<div><label><input type="checkbox" name="${name}" value="${esc(a.id)}"${a.checked ? " checked" : ""}> ${esc(a.label)}</label>${a.note ? ` <span class="note">${esc(a.note)}</span>` : ""}</div>`,
    )
    .join("");
  return `<fieldset data-persona="${esc(personaId)}"><legend>${esc(legend)}</legend>${boxes}</fieldset>`;
}

/** Only the chosen persona's asset boxes are shown (CSS :has, no JavaScript); hidden boxes are still posted and ignored. */
function assetVisibility(assets: OfferedAssets[]): string {
  if (assets.length === 0) return "";
  const rules = assets.map((a) => `form:has(input[name=persona][value="${esc(a.persona.id)}"]:checked) fieldset[data-persona="${esc(a.persona.id)}"]{display:block}`);
  return `<style>fieldset[data-persona]{display:none}${rules.join("")}</style>`;
}

export function consentPage(v: ConsentView): string {
  const hidden = Object.entries(v.hidden)
    .filter(([, value]) => value !== "")
    .map(([k, value]) => `<input type="hidden" name="${esc(k)}" value="${esc(value)}">`)
    .join("");
  const radios = v.personas
    .map(
      (p, i) =>
        `<label><input type="radio" name="persona" value="${esc(p.id)}"${i === 0 ? " checked" : ""}> ${esc(dialogLabel(p))}</label>`,
    )
    .join("");
  const perms = v.permissions
    .map((perm) => `<label><input type="checkbox" name="granted" value="${esc(perm)}" checked> ${esc(perm)}</label>`)
    .join("");
  const offered = ["page", "instagram", "ad_account"].filter((kind, i) => v.assets.some((a) => [a.pages, a.instagram, a.adAccounts][i]!.length > 0));
  const pages =
    (offered.length > 0 ? `<input type="hidden" name="assets_offered" value="${offered.join(",")}">` : "") +
    v.assets
      .map(
        (a) =>
          assetFieldset(a.persona.id, `Pages to share (${a.persona.name})`, "page", a.pages) +
          assetFieldset(a.persona.id, `Instagram accounts to share (${a.persona.name})`, "instagram", a.instagram) +
          assetFieldset(a.persona.id, `Ad accounts to share (${a.persona.name})`, "ad_account", a.adAccounts),
      )
      .join("");
  return page(
    "Log in with Facebook",
    `${assetVisibility(v.assets)}<h1>${esc(v.appName)} is requesting access to your Facebook account</h1>
${v.error ? `<p role="alert" class="error">${esc(v.error)}</p>` : ""}
<form method="post" action="${esc(v.action)}">${hidden}
<fieldset><legend>Continue as</legend>${radios}</fieldset>
${perms ? `<fieldset><legend>Permissions requested</legend>${perms}<p class="note">Untick a permission to decline it.</p></fieldset>` : ""}
${pages}
<div class="actions"><button type="submit" name="action" value="continue">Continue</button><button type="submit" name="action" value="cancel">Cancel</button></div>
</form>`,
  );
}

export function htmlResponse(html: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(html, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", ...headers } });
}
