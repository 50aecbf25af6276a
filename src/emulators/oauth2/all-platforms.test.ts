import { describe, expect, it } from "vitest";
import { consentForm, inProcessFetch, jsonOf, locationOf, pkcePair, withQuery } from "../../../tests/helpers/oauth-sandbox";
import { esc } from "../meta/dialog-html";
import { OAUTH_PROVIDER_IDS, OAUTH_SANDBOXES } from "./registry";
import type { PersonaSummary, ProviderId } from "./types";

// What every OAuth sandbox shares: the dialog's accessible names, `sandbox_persona`, non-ASCII
// personas, the controls switch and a JSON state.

const BASE = "http://localhost:3000";

/** A valid authorization request per platform: path and parameters beyond client and redirect. */
const AUTHORIZE: Record<ProviderId, { path: string; idParam?: string; params: Record<string, string> }> = {
  x: { path: "/i/oauth2/authorize", params: { scope: "tweet.read users.read offline.access", code_challenge: pkcePair().challenge, code_challenge_method: "S256" } },
  linkedin: { path: "/oauth/v2/authorization", params: { scope: "openid profile email" } },
  tiktok: { path: "/v2/auth/authorize/", idParam: "client_key", params: { scope: "user.info.basic,user.info.profile" } },
  youtube: { path: "/o/oauth2/v2/auth", params: { scope: "openid email https://www.googleapis.com/auth/youtube.readonly", access_type: "offline", prompt: "consent" } },
  pinterest: { path: "/oauth/", params: { scope: "user_accounts:read" } },
  threads: { path: "/oauth/authorize", params: { scope: "threads_basic" } },
};

function dialogUrl(id: ProviderId, extra: Record<string, string> = {}): string {
  const { path, idParam = "client_id", params } = AUTHORIZE[id];
  const client = OAUTH_SANDBOXES[id].defaultClient;
  return withQuery(`${BASE}${path}`, { [idParam]: client.clientId, redirect_uri: client.redirectUris[0]!, response_type: "code", state: "st4te", ...params, ...extra });
}

describe.each(OAUTH_PROVIDER_IDS)("%s sandbox", (id) => {
  it("shows 'Continue as' with one radio per persona labelled by its dialog label, and Continue / Cancel", async () => {
    const sandbox = OAUTH_SANDBOXES[id].create();
    const f = inProcessFetch(sandbox, BASE);
    const personas = sandbox.control.personas();
    const html = await (await f(dialogUrl(id))).text();
    expect(html).toContain("<legend>Continue as</legend>");
    for (const p of personas) expect(html).toContain(`<input type="radio" name="persona" value="${p.id}"`);
    expect(consentForm(html).personas).toEqual(personas.map((p) => p.id));
    for (const p of personas) expect(html).toContain(`> ${esc(p.dialogLabel)}</label>`);
    expect(html).toMatch(/<button type="submit" name="action" value="continue">Continue<\/button>/);
    expect(html).toMatch(/<button type="submit" name="action" value="cancel">Cancel<\/button>/);
    expect(html).not.toContain("<script");
  });

  it("approves at once with sandbox_persona, granting every requested scope", async () => {
    const sandbox = OAUTH_SANDBOXES[id].create();
    const res = await inProcessFetch(sandbox, BASE)(dialogUrl(id, { sandbox_persona: "lukasz" }));
    expect(res.status).toBe(302);
    const loc = locationOf(res);
    expect(loc.searchParams.get("code")).toBeTruthy();
    expect(loc.searchParams.get("state")).toBe("st4te");
    expect(sandbox.control.controlLog().find((e) => e.action === "approve")?.detail).toMatchObject({ persona: "lukasz" });
  });

  it("has personas with non-ASCII names and realistic counts, shared ids across platforms", () => {
    const personas: PersonaSummary[] = OAUTH_SANDBOXES[id].create().control.personas();
    expect(personas.map((p) => p.id)).toEqual(expect.arrayContaining(["zoe", "lukasz", "li", "ana"]));
    expect(personas.filter((p) => /[^\x00-\x7f]/.test(p.name)).length).toBeGreaterThanOrEqual(2);
    expect(personas.some((p) => (p.stats.followers ?? 0) > 100_000)).toBe(true);
  });

  it("refuses every control with 403 when controls are off", async () => {
    const f = inProcessFetch(OAUTH_SANDBOXES[id].create({ controls: false }), BASE);
    expect((await f("/_control/personas")).status).toBe(403);
    expect((await f("/_control/clock", { method: "POST", body: "advanceDays=1", headers: { "content-type": "application/x-www-form-urlencoded" } })).status).toBe(403);
  });

  it("exports a JSON state that a fresh sandbox imports", async () => {
    const a = OAUTH_SANDBOXES[id].create();
    const issued = a.control.issueTokens({ persona: "zoe" });
    const b = OAUTH_SANDBOXES[id].create({ state: JSON.parse(JSON.stringify(a.exportState())) as unknown });
    expect(b.control.grants().map((g) => g.id)).toEqual([issued.grant_id]);
    expect(b.control.tokenId(String(issued.access_token))).toBe(a.control.tokenId(String(issued.access_token)));
    expect((await jsonOf<{ provider: string }>(await inProcessFetch(b, BASE)("/_control"))).provider).toBe(id);
  });
});
