import { describe, expect, it } from "vitest";
import { renderMail } from "./render-mail";
import { actionNeededMail } from "./templates/action-needed-mail";

const props = actionNeededMail.props.parse({
  recipientName: "Ana",
  title: "Reconnect Facebook",
  message: "Your Facebook connection stops working in 3 days.\n\nReconnecting takes a minute.",
  action: { label: "Reconnect now", link: { path: "/settings/connections" } },
  note: "The button works once, for 7 days.",
});

describe("mail rendering", () => {
  it("renders the layout, the text, and the button as a link in both parts", async () => {
    const { html, text } = await renderMail(actionNeededMail, props, { action: "http://localhost:3000/settings/connections?link=abc.def" });
    expect(html).toMatch(/^<!DOCTYPE html/);
    expect(html).toContain(">Reconnect Facebook</h1>");
    expect(html).toContain('href="http://localhost:3000/settings/connections?link=abc.def"');
    expect(html).toContain(">Reconnect now<");
    expect(text).toBe(
      [
        "Linkboard",
        "",
        "Reconnect Facebook",
        "",
        "Hello Ana,",
        "",
        "Your Facebook connection stops working in 3 days.",
        "",
        "Reconnecting takes a minute.",
        "",
        "Reconnect now http://localhost:3000/settings/connections?link=abc.def",
        "",
        "The button works once, for 7 days.",
        "",
        "-".repeat(40),
        "",
        "You get this mail because of your Linkboard account. Questions? Reply to your Linkboard contact.",
      ].join("\n"),
    );
  });

  it("escapes what the props say: markup in a message stays text", async () => {
    const hostile = actionNeededMail.props.parse({ ...props, title: "<b>bold</b>", message: '<script>alert(1)</script><img src=x onerror="alert(2)">' });
    const { html, text } = await renderMail(actionNeededMail, hostile, { action: "http://localhost:3000/x" });
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(text).toContain('<script>alert(1)</script><img src=x onerror="alert(2)">');
  });
});
