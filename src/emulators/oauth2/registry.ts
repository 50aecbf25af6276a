import { createLinkedInSandbox, DEFAULT_LINKEDIN_CLIENT, startLinkedInServer } from "../linkedin";
import { createPinterestSandbox, DEFAULT_PINTEREST_CLIENT, startPinterestServer } from "../pinterest";
import { createThreadsSandbox, DEFAULT_THREADS_CLIENT, startThreadsServer } from "../threads";
import { createTikTokSandbox, DEFAULT_TIKTOK_CLIENT, startTikTokServer } from "../tiktok";
import { createXSandbox, DEFAULT_X_CLIENT, startXServer } from "../x";
import { createYouTubeSandbox, DEFAULT_GOOGLE_CLIENT, startYouTubeServer } from "../youtube";
import type { OAuth2Sandbox } from "./sandbox";
import type { ListenOptions, SandboxServer } from "./server";
import type { ClientConfig, OAuth2SandboxOptions, ProviderId } from "./types";

/** One line per OAuth platform sandbox: how to create it, serve it, and the app it knows by default. */

export type OAuthSandboxEntry = {
  create(options?: OAuth2SandboxOptions): OAuth2Sandbox;
  start(options?: OAuth2SandboxOptions & ListenOptions): Promise<SandboxServer<OAuth2Sandbox>>;
  defaultClient: ClientConfig;
};

export const OAUTH_SANDBOXES: Record<ProviderId, OAuthSandboxEntry> = {
  x: { create: createXSandbox, start: startXServer, defaultClient: DEFAULT_X_CLIENT },
  linkedin: { create: createLinkedInSandbox, start: startLinkedInServer, defaultClient: DEFAULT_LINKEDIN_CLIENT },
  tiktok: { create: createTikTokSandbox, start: startTikTokServer, defaultClient: DEFAULT_TIKTOK_CLIENT },
  youtube: { create: createYouTubeSandbox, start: startYouTubeServer, defaultClient: DEFAULT_GOOGLE_CLIENT },
  pinterest: { create: createPinterestSandbox, start: startPinterestServer, defaultClient: DEFAULT_PINTEREST_CLIENT },
  threads: { create: createThreadsSandbox, start: startThreadsServer, defaultClient: DEFAULT_THREADS_CLIENT },
};

export const OAUTH_PROVIDER_IDS = Object.keys(OAUTH_SANDBOXES) as ProviderId[];
