import "server-only";
import type { ReactNode } from "react";
import { Body, Button, Container, Head, Heading, Hr, Html, Preview, Section, Text } from "@react-email/components";

/**
 * The frame and building blocks every mail uses (react-email components: tables and inline styles
 * that mail clients render alike). Slate text on white, one dark button, like the app.
 */
const colors = { text: "#0f172a", muted: "#475569", line: "#e2e8f0", page: "#f8fafc", button: "#0f172a" };
const font = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

export function MailLayout({ preview, children }: { preview: string; children: ReactNode }) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{preview}</Preview>
      <Body style={{ backgroundColor: colors.page, color: colors.text, fontFamily: font, margin: 0, padding: "24px 0" }}>
        <Container style={{ backgroundColor: "#ffffff", border: `1px solid ${colors.line}`, borderRadius: 8, maxWidth: 560, padding: "24px 32px" }}>
          <Text style={{ fontSize: 18, fontWeight: 600, margin: "0 0 16px" }}>Linkboard</Text>
          {children}
          <Hr style={{ borderColor: colors.line, margin: "24px 0 12px" }} />
          <Text style={{ color: colors.muted, fontSize: 12, lineHeight: "18px", margin: 0 }}>
            You get this mail because of your Linkboard account. Questions? Reply to your Linkboard contact.
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

export function MailHeading({ children }: { children: ReactNode }) {
  return (
    <Heading as="h1" style={{ fontSize: 20, lineHeight: "28px", margin: "0 0 12px" }}>
      {children}
    </Heading>
  );
}

export function MailText({ children, muted = false }: { children: ReactNode; muted?: boolean }) {
  return <Text style={{ color: muted ? colors.muted : colors.text, fontSize: 15, lineHeight: "24px", margin: "0 0 12px" }}>{children}</Text>;
}

/** A link styled as a button; in the plain-text part it reads "label https://…". */
export function MailButton({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Section style={{ margin: "20px 0" }}>
      <Button
        href={href}
        style={{ backgroundColor: colors.button, borderRadius: 6, color: "#ffffff", fontSize: 15, fontWeight: 600, padding: "12px 20px", textDecoration: "none" }}
      >
        {children}
      </Button>
    </Section>
  );
}
