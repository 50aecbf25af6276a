import "server-only";
import nodemailer from "nodemailer";
import { parseConnectionUrl } from "nodemailer/lib/shared";
import { MailDeliveryError, type DeliveryFailure, type MailTransport } from "./mail-transport";

/**
 * Delivery over SMTP with nodemailer, one connection per message (`?pool=true` in SMTP_URL pools).
 * Timeouts are short enough that an attempt always ends — delivered or failed, and recorded —
 * well within the send-mail job's time limit; SMTP_URL query parameters may override them.
 */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000, dnsTimeout: 10_000 };

export function createSmtpTransport(url: string): MailTransport {
  return {
    kind: "smtp",
    async deliver(mail) {
      const transporter = nodemailer.createTransport({ ...TIMEOUTS, ...parseConnectionUrl(url) });
      // Set once the whole message has been read into the connection (the final "." follows): from
      // then on a lost connection leaves it unknown whether the server accepted the message.
      let handedOver = false;
      transporter.use("stream", (sending, done) => {
        sending.message.processFunc((input) => {
          input.once("end", () => (handedOver = true));
          return input;
        });
        done();
      });
      try {
        const info = await transporter.sendMail({
          from: mail.from,
          to: mail.to,
          subject: mail.subject,
          html: mail.html,
          text: mail.text,
          messageId: mail.messageIdHeader,
          // Never fetch or attach local files or URLs named in the content.
          disableFileAccess: true,
          disableUrlAccess: true,
        });
        return { providerMessageId: providerIdOf(String(info.response ?? "")) };
      } catch (error) {
        throw classifySmtpError(error, handedOver);
      } finally {
        transporter.close();
      }
    },
  };
}

type SmtpError = { code?: string; responseCode?: number; message?: string };

/** What nodemailer's error means for this message. */
export function classifySmtpError(error: unknown, handedOver: boolean): MailDeliveryError {
  const e = (error ?? {}) as SmtpError;
  const message = (e.message ?? String(error)).slice(0, 500);
  let kind: DeliveryFailure;
  // Credentials are configuration: retried, in case the operator fixes them meanwhile.
  if (e.code === "EAUTH") kind = "temporary";
  else if (typeof e.responseCode === "number" && e.responseCode >= 500) kind = "permanent";
  else if (typeof e.responseCode === "number" && e.responseCode >= 400) kind = "temporary";
  // Refused before any conversation (no recipient, a malformed address): it would fail again.
  else if (e.code === "EENVELOPE" || e.code === "EMESSAGE") kind = "permanent";
  else kind = handedOver ? "unknown" : "temporary";
  return new MailDeliveryError(kind, message, { cause: error });
}

/** The server's own id when its answer names one ("250 2.0.0 Ok: queued as 4BxK2"), else the answer. */
function providerIdOf(response: string): string {
  const queued = /queued as ([A-Za-z0-9._@-]+)/i.exec(response);
  return (queued?.[1] ?? response.trim()).slice(0, 200);
}
