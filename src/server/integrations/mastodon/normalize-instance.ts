import { isIP } from "node:net";
import { AppError } from "@/server/errors";

/**
 * "Your Mastodon server" as typed → the instance's identity: its origin (`https://host[:port]`,
 * lowercase, IDN in punycode, no path). Accepts a bare host, a URL (any path is dropped), a
 * handle (`@nora@mastodon.social`, `nora@mastodon.social`) or a profile URL. A typed `http://`
 * is kept (local servers); the outbound rules decide whether it may be contacted.
 */
export function normalizeMastodonInstance(input: string): string {
  let text = input.trim();
  if (text === "" || text.length > 2048 || /\s/.test(text)) throw invalid();
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  if (!hasScheme) {
    // A handle: the server is what follows the last "@".
    if (text.includes("@")) text = text.slice(text.lastIndexOf("@") + 1);
    text = `https://${text}`;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid();
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new AppError({ code: "VALIDATION_ERROR", message: "Only https:// server addresses are supported.", hint: "Enter an address like mastodon.social.", field: "instance" });
  }
  const host = url.hostname.replace(/\.$/, "");
  const bare = host.replace(/^\[|\]$/g, "");
  if (!host || host.length > 253 || (!host.includes(".") && !isIP(bare) && host !== "localhost")) throw invalid();
  const port = url.port ? `:${url.port}` : "";
  return `${url.protocol}//${host}${port}`;
}

function invalid(): AppError {
  return new AppError({
    code: "VALIDATION_ERROR",
    message: "That does not look like a Mastodon server address.",
    hint: "Enter your server's address, like mastodon.social, or your full handle, like @you@mastodon.social.",
    field: "instance",
  });
}
