import { adAccountPicker, allAdAccountNumbers, tickedAdAccounts, tickedIgIds, tickedPageIds } from "./assets";
import type { MetaSandboxControl } from "./controls";
import { esc, htmlResponse, page } from "./dialog-html";
import type { Persona } from "./personas";
import { findPersona, getGrant, grantedScopes, type SandboxState } from "./state";

/**
 * The sandbox user's own settings ("Apps and websites" on facebook.com): per app, the permissions
 * granted with a Remove button each, the Pages / Instagram accounts / ad accounts shared with it,
 * and Remove app. Every change goes through the controls, so the app gets its permissions webhook.
 * The user is the `persona` parameter, else the one the dialog remembered (cookie).
 */

const COOKIE = /(?:^|;\s*)fbsb_persona=([a-z0-9_-]+)/;

function whoIs(s: SandboxState, req: Request, form?: URLSearchParams): Persona | undefined {
  const id = form?.get("persona") ?? new URL(req.url).searchParams.get("persona") ?? COOKIE.exec(req.headers.get("cookie") ?? "")?.[1];
  return id ? findPersona(s, id) : undefined;
}

/** A form POST from another site must not change anything (the same rule the app follows). */
function sameOrigin(req: Request): boolean {
  const site = req.headers.get("sec-fetch-site");
  if (site) return site === "same-origin" || site === "none";
  const origin = req.headers.get("origin");
  return !origin || origin === new URL(req.url).origin;
}

function hidden(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join("");
}

function checkboxes(legend: string, name: string, items: { id: string; label: string; checked: boolean }[]): string {
  if (items.length === 0) return "";
  const boxes = items.map((i) => `<label><input type="checkbox" name="${name}" value="${esc(i.id)}"${i.checked ? " checked" : ""}> ${esc(i.label)}</label>`).join("");
  return `<fieldset><legend>${esc(legend)}</legend>${boxes}</fieldset>`;
}

function appSection(s: SandboxState, action: string, persona: Persona, appId: string, appName: string): string {
  const g = getGrant(s, appId, persona.id);
  if (!g) return "";
  const base = { persona: persona.id, app_id: appId };
  // public_profile comes with every login and cannot be removed on its own.
  const perms = grantedScopes(g)
    .map((p) =>
      p === "public_profile"
        ? `<li>public_profile <span class="note">(required)</span></li>`
        : `<li>${esc(p)} <form method="post" action="${esc(action)}" class="inline">${hidden({ ...base, action: "remove_permission", permission: p })}<button type="submit" aria-label="Remove ${esc(p)}">Remove</button></form></li>`,
    )
    .join("");
  const pageTicks = new Set(tickedPageIds(persona, g));
  const igTicks = new Set(tickedIgIds(persona, g));
  const adTicks = tickedAdAccounts(persona, g);
  const assets =
    checkboxes("Pages", "page", persona.pages.map((p) => ({ id: p.id, label: p.name, checked: pageTicks.has(p.id) }))) +
    checkboxes("Instagram accounts", "instagram", persona.pages.flatMap((p) => (p.instagram ? [{ id: p.instagram.id, label: `@${p.instagram.username}`, checked: igTicks.has(p.instagram.id) }] : []))) +
    (adAccountPicker(persona) ? checkboxes("Ad accounts", "ad_account", allAdAccountNumbers(persona).map((n) => ({ id: n, label: `act_${n}`, checked: adTicks === null || adTicks.includes(n) }))) : "");
  return `<section aria-label="${esc(appName)}"><h2>${esc(appName)}</h2>
<h3>Permissions</h3><ul>${perms}</ul>
${assets ? `<form method="post" action="${esc(action)}">${hidden({ ...base, action: "update_assets" })}${assets}<button type="submit">Save</button></form>` : ""}
<form method="post" action="${esc(action)}">${hidden({ ...base, action: "remove_app" })}<button type="submit">Remove app</button></form></section>`;
}

function render(s: SandboxState, action: string, persona: Persona | undefined, done?: string): Response {
  if (!persona) {
    const links = s.personas.map((p) => `<li><a href="${esc(action)}?persona=${esc(p.id)}">${esc(p.name)}</a></li>`).join("");
    return htmlResponse(page("Apps and websites", `<h1>Apps and websites</h1><p>Who are you?</p><ul>${links}</ul>`));
  }
  const sections = [...s.apps.values()].map((a) => appSection(s, action, persona, a.appId, a.name)).join("");
  return htmlResponse(
    page(
      "Apps and websites",
      `<h1>Apps and websites — ${esc(persona.name)}</h1>${done ? `<p role="status">${esc(done)}</p>` : ""}${sections || "<p>No apps are connected to this account.</p>"}`,
    ),
  );
}

export async function settingsPage(s: SandboxState, control: MetaSandboxControl, req: Request, action: string): Promise<Response> {
  if (req.method === "GET") return render(s, action, whoIs(s, req), new URL(req.url).searchParams.get("done") ?? undefined);
  if (req.method !== "POST") return htmlResponse(page("Not allowed", "<h1>Not allowed</h1>"), 405);
  if (!sameOrigin(req)) return htmlResponse(page("Refused", `<h1>Refused</h1><p role="alert">This form must be sent from the sandbox's own page.</p>`), 403);
  const form = new URLSearchParams(await req.text());
  const persona = whoIs(s, req, form);
  const appId = form.get("app_id") ?? "";
  if (!persona || !s.apps.has(appId) || !getGrant(s, appId, persona.id)) return render(s, action, persona, "Nothing to change.");
  let done: string;
  switch (form.get("action")) {
    case "remove_permission": {
      const permission = form.get("permission") ?? "";
      control.setPermission(persona.id, permission, "declined", appId);
      done = `Removed ${permission}.`;
      break;
    }
    case "update_assets": {
      const g = getGrant(s, appId, persona.id);
      const want = (name: string) => new Set(form.getAll(name));
      const current = [
        ...tickedPageIds(persona, g).map((id) => ["page", id] as const),
        ...tickedIgIds(persona, g).map((id) => ["instagram", id] as const),
        ...(adAccountPicker(persona) ? (tickedAdAccounts(persona, g) ?? allAdAccountNumbers(persona)).map((id) => ["ad_account", id] as const) : []),
      ];
      const offered = [
        ...persona.pages.map((p) => ["page", p.id] as const),
        ...persona.pages.flatMap((p) => (p.instagram ? [["instagram", p.instagram.id] as const] : [])),
        ...(adAccountPicker(persona) ? allAdAccountNumbers(persona).map((n) => ["ad_account", n] as const) : []),
      ];
      let n = 0;
      for (const [kind, id] of offered) {
        const was = current.some(([k, x]) => k === kind && x === id);
        const is = want(kind).has(id);
        if (was === is) continue;
        control.setAssetTicked(persona.id, id, is, appId);
        n++;
      }
      done = n === 0 ? "Nothing changed." : "Saved.";
      break;
    }
    case "remove_app":
      control.removeApp(persona.id, appId);
      done = `Removed ${s.apps.get(appId)?.name ?? "the app"}.`;
      break;
    default:
      done = "Nothing to change.";
  }
  const back = new URL(action, req.url);
  back.searchParams.set("persona", persona.id);
  back.searchParams.set("done", done);
  return new Response(null, { status: 303, headers: { location: back.pathname + back.search, "cache-control": "no-store" } });
}
