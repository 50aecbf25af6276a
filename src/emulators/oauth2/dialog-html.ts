import { consentForm } from "../consent-form";
import { esc, htmlResponse } from "../meta/dialog-html";
import type { PersonaBase } from "./types";

/** The consent page of every OAuth sandbox: a plain form, no JavaScript, stable accessible names. */

const STYLE = `
body{font-family:system-ui,sans-serif;background:#f5f6f7;color:#14171a;margin:0}
main{max-width:34rem;margin:2rem auto;background:#fff;border-radius:10px;padding:1.5rem;box-shadow:0 1px 3px #0003}
.badge{display:inline-block;background:#ffe08a;color:#5c4400;font-weight:600;border-radius:4px;padding:.1rem .5rem;font-size:.8rem}
h1{font-size:1.2rem;overflow-wrap:anywhere}fieldset{border:1px solid #dfe3e8;border-radius:6px;margin:1rem 0}
label{display:block;padding:.25rem 0;overflow-wrap:anywhere}.actions{display:flex;gap:.5rem;justify-content:flex-end}
button{font-size:1rem;padding:.5rem 1rem;border-radius:6px;border:1px solid #ccd0d5;background:#f5f6f7}
.note{color:#5b6670;font-size:.875rem}.error{color:#be1e2d}`;

export function page(title: string, platform: string, color: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)} · ${esc(platform)} (sandbox)</title><style>${STYLE}button[value=continue]{background:${color};border-color:${color};color:#fff}</style></head><body><main><p class="badge">Sandbox</p>${body}</main></body></html>`;
}

export function errorPageResponse(platform: string, color: string, title: string, message: string, status = 400): Response {
  return htmlResponse(
    page(title, platform, color, `<h1>${esc(title)}</h1><p role="alert">${esc(message)}</p><p class="note">${esc(platform)} (sandbox) did not redirect back to the app.</p>`),
    status,
  );
}

export type ConsentView = {
  platform: string;
  color: string;
  title: string;
  appName: string;
  action: string;
  hidden: Record<string, string>;
  personas: PersonaBase[];
  scopes: string[];
  declinable?: (scope: string) => boolean;
  error?: string;
};

export function consentPage(v: ConsentView): string {
  const optional = v.declinable ? v.scopes.filter((x) => v.declinable!(x)) : [];
  const fixed = v.scopes.filter((x) => !optional.includes(x));
  const checkboxes = optional.map((x) => `<label><input type="checkbox" name="granted" value="${esc(x)}" checked> ${esc(x)}</label>`).join("");
  const list = fixed.length > 0 ? `<ul>${fixed.map((x) => `<li>${esc(x)}</li>`).join("")}</ul>` : "";
  const permissions =
    v.scopes.length === 0
      ? ""
      : `<fieldset><legend>Permissions requested</legend>${list}${checkboxes}<p class="note">${
          optional.length > 0 ? "Untick a permission to decline it." : "All of these are granted together."
        }</p></fieldset>`;
  const personas = v.personas.map((p, i) => ({ value: p.id, label: p.dialogLabel, checked: i === 0 }));
  return page(
    v.title,
    v.platform,
    v.color,
    `<h1>${esc(v.appName)} wants to access your ${esc(v.platform)} account</h1>
${v.error ? `<p role="alert" class="error">${esc(v.error)}</p>` : ""}
${consentForm({ action: v.action, hidden: v.hidden, personas, permissions })}`,
  );
}

export { htmlResponse };
