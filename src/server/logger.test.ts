import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, maskUrl } from "./logger";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  process.env.LOG_LEVEL = "info";
  const logger = createLogger(stream as never);
  delete process.env.LOG_LEVEL;
  return { logger, text: () => lines.join("") };
}

describe("logger", () => {
  it("redacts tokens, secrets and authorization headers at any of the first three levels", () => {
    const { logger, text } = capture();
    logger.info(
      {
        access_token: "EAAtop-level-secret",
        request: { headers: { authorization: "Bearer EAAheader-secret" }, fb_exchange_token: "EAAnested-secret" },
        account: { refresh_token: "refresh-secret", appsecret_proof: "proof-secret" },
        password: "hunter22",
        harmless: "kept",
      },
      "graph call",
    );
    const out = text();
    for (const secret of ["EAAtop-level-secret", "EAAheader-secret", "EAAnested-secret", "refresh-secret", "proof-secret", "hunter22"]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain("[redacted]");
    expect(out).toContain("kept");
  });

  it("masks secret query parameters in URLs before they are logged", () => {
    const masked = maskUrl("https://graph.example/v25.0/me?fields=id&access_token=EAAsecret&appsecret_proof=abc&client_secret=s");
    expect(masked).not.toMatch(/EAAsecret|appsecret_proof=abc|client_secret=s(&|$)/);
    expect(masked).toContain("fields=id");
    expect(maskUrl("not a url")).toBe("[unparseable url]");
  });
});
