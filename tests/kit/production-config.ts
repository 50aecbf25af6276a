/**
 * What a production configuration must hold besides its secrets (src/env.ts refuses to start
 * without each), for tests that read the configuration as a production server would. When
 * production starts requiring another variable, it is added here, once.
 */
export const PRODUCTION_CONFIG = {
  NODE_ENV: "production",
  AUTH_URL: "https://linkboard.example",
  META_SANDBOX: "0",
  META_APP_ID: "1000000000000001",
  META_APP_SECRET: "not-the-sandbox",
  SMTP_URL: "smtp://127.0.0.1:2525",
  MAIL_FROM: "Linkboard <no-reply@linkboard.example>",
} as const;

/** The variables PRODUCTION_CONFIG sets, to delete when a test puts the process back. */
export const PRODUCTION_CONFIG_NAMES = Object.keys(PRODUCTION_CONFIG) as (keyof typeof PRODUCTION_CONFIG)[];
