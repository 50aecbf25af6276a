import "server-only";
import pino from "pino";

/**
 * The one logger. Token-like fields and authorization headers are redacted wherever they appear
 * (two levels deep), so a Graph response or request object can be logged without leaking a secret.
 */
const SECRET_KEYS = [
  "access_token",
  "accessToken",
  "refresh_token",
  "refreshToken",
  "id_token",
  "idToken",
  "token",
  "input_token",
  "fb_exchange_token",
  "client_secret",
  "appsecret_proof",
  "password",
  "passwordHash",
  "authorization",
  "Authorization",
  "cookie",
  "signed_request",
  "code",
  // One-click links carry their token as ?link= (src/server/action-links/).
  "link",
];

export const REDACT_PATHS = [...SECRET_KEYS, ...SECRET_KEYS.map((k) => `*.${k}`), ...SECRET_KEYS.map((k) => `*.*.${k}`)];

export function createLogger(destination?: pino.DestinationStream) {
  return pino(
    {
      level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      base: undefined,
    },
    destination,
  );
}

export const logger = createLogger();

/** Removes access_token / client_secret / appsecret_proof query values from a URL before it is logged. */
export function maskUrl(input: string): string {
  try {
    const url = new URL(input);
    for (const key of [...url.searchParams.keys()]) {
      if (SECRET_KEYS.includes(key)) url.searchParams.set(key, "[redacted]");
    }
    return url.toString();
  } catch {
    return "[unparseable url]";
  }
}
