import { describe, expect, it } from "vitest";
import { BASE_URL } from "./browser";

/** The development outbox is a development page: a production server does not have it. */
describe("/dev/mail on a production server", () => {
  it("answers 404 and shows no mail", async () => {
    const response = await fetch(`${BASE_URL}/dev/mail`, { redirect: "manual" });
    expect(response.status).toBe(404);
    const body = await response.text();
    expect(body).not.toContain("Outbox");
    expect(body).not.toContain("srcdoc");
  });
});
