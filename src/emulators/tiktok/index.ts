import { createOAuth2Sandbox, type OAuth2Sandbox } from "../oauth2/sandbox";
import { serveSandbox, type ListenOptions, type SandboxServer } from "../oauth2/server";
import type { OAuth2SandboxOptions } from "../oauth2/types";
import { tikTokProfile, type TikTokOptions } from "./profile";

/** TikTok sandbox: www.tiktok.com's Login Kit dialog and open.tiktokapis.com at one base URL. */

export { DEFAULT_TIKTOK_CLIENT, TIKTOK_SCOPES } from "./profile";
export { TIKTOK_PERSONAS } from "./personas";

export type TikTokSandboxOptions = OAuth2SandboxOptions & TikTokOptions;

export function createTikTokSandbox(options: TikTokSandboxOptions = {}): OAuth2Sandbox {
  return createOAuth2Sandbox(tikTokProfile(options), options);
}

export function startTikTokServer(options: TikTokSandboxOptions & ListenOptions = {}): Promise<SandboxServer<OAuth2Sandbox>> {
  return serveSandbox(createTikTokSandbox(options), options);
}
