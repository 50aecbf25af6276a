/**
 * The security headers of every response (set by src/proxy.ts at run time, so they follow the
 * AUTH_URL and META_WEB_URL of the running server, not of the build):
 * - a Content-Security-Policy with a per-request nonce and 'strict-dynamic' for scripts (Next
 *   puts the nonce on its own scripts when it finds it in the request's CSP header), no framing
 *   (frame-ancestors 'none'), no plugins, no <base>, forms only to the app and to the Facebook
 *   Login dialog (Chrome checks form-action on the redirect after a form post);
 * - HSTS and upgrade-insecure-requests only when the app is served over https;
 * - nosniff, a same-origin referrer policy (the dialog never learns the app's paths), DENY framing
 *   for browsers without CSP level 2.
 * Styles allow 'unsafe-inline': React style attributes and the sandbox dialog's <style> need it,
 * and injected CSS cannot run script.
 */
export type SecurityHeaderOptions = { nonce: string; authUrl: string; dialogOrigin: string; development: boolean };

export function contentSecurityPolicy(o: SecurityHeaderOptions): string {
  const https = o.authUrl.startsWith("https://");
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${o.nonce}' 'strict-dynamic'${o.development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    `form-action 'self'${o.dialogOrigin === new URL(o.authUrl).origin ? "" : ` ${o.dialogOrigin}`}`,
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

export function securityHeaders(o: SecurityHeaderOptions): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(o),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    ...(o.authUrl.startsWith("https://") ? { "strict-transport-security": "max-age=63072000; includeSubDomains" } : {}),
  };
}
