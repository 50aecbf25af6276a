import { describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import { normalizeMastodonInstance } from "./normalize-instance";

describe("normalizeMastodonInstance", () => {
  it.each([
    ["mastodon.social", "https://mastodon.social"],
    ["  mastodon.social  ", "https://mastodon.social"],
    ["https://Mastodon.Social/", "https://mastodon.social"],
    ["HTTPS://MASTODON.SOCIAL", "https://mastodon.social"],
    ["@user@host.example", "https://host.example"],
    ["@nora@Mastodon.Social", "https://mastodon.social"],
    ["nora@mastodon.social", "https://mastodon.social"],
    ["https://mastodon.social/@nora", "https://mastodon.social"],
    ["https://mastodon.social/@nora/113456789012345678?x=1#top", "https://mastodon.social"],
    ["mastodon.social/about", "https://mastodon.social"],
    ["mastodon.social.", "https://mastodon.social"],
    ["https://mastodon.social:443/", "https://mastodon.social"],
    ["mastodon.example:8443", "https://mastodon.example:8443"],
    ["https://user:pw@mastodon.social/", "https://mastodon.social"],
    ["bücher.example", "https://xn--bcher-kva.example"],
    ["@zoë@Bücher.Example", "https://xn--bcher-kva.example"],
    ["http://127.0.0.1:4121", "http://127.0.0.1:4121"],
    ["http://localhost:4121/", "http://localhost:4121"],
    ["https://[2001:db8::1]/", "https://[2001:db8::1]"],
  ])("%s → %s", (input, origin) => {
    expect(normalizeMastodonInstance(input)).toBe(origin);
  });

  it.each(["", "   ", "mastodon", "@nora", "nora@", "mastodon social", "ftp://mastodon.social", "javascript:alert(1)", "https://", "https://exa mple.org", "x".repeat(3000)])(
    "refuses %j with a plain message",
    (input) => {
      let error: unknown;
      try {
        normalizeMastodonInstance(input);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("VALIDATION_ERROR");
      expect((error as AppError).field).toBe("instance");
      expect((error as AppError).message).toMatch(/^(That does not look like a Mastodon server address\.|Only https:\/\/ server addresses are supported\.)$/);
    },
  );

  it("names the scheme rule when another scheme is typed", () => {
    expect(() => normalizeMastodonInstance("ftp://mastodon.social")).toThrow("Only https:// server addresses are supported.");
  });
});
