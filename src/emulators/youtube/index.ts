import { createOAuth2Sandbox, type OAuth2Sandbox } from "../oauth2/sandbox";
import { serveSandbox, type ListenOptions, type SandboxServer } from "../oauth2/server";
import type { OAuth2SandboxOptions } from "../oauth2/types";
import { youTubeProfile, type YouTubeOptions } from "./profile";

/** YouTube sandbox: accounts.google.com, oauth2.googleapis.com and www.googleapis.com at one base URL. */

export { DEFAULT_GOOGLE_CLIENT, YOUTUBE_SCOPES } from "./profile";
export { YOUTUBE_PERSONAS } from "./personas";

export type YouTubeSandboxOptions = OAuth2SandboxOptions & YouTubeOptions;

export function createYouTubeSandbox(options: YouTubeSandboxOptions = {}): OAuth2Sandbox {
  return createOAuth2Sandbox(youTubeProfile(options), options);
}

export function startYouTubeServer(options: YouTubeSandboxOptions & ListenOptions = {}): Promise<SandboxServer<OAuth2Sandbox>> {
  return serveSandbox(createYouTubeSandbox(options), options);
}
