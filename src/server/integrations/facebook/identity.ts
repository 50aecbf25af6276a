import "server-only";
import { classifyFacebookError } from "./classify-error";

/** Who this provider is, for the shared code that names it or classifies its errors. */
export const FACEBOOK = { id: "facebook", name: "Facebook", brandColor: "#1877f2", classifyError: classifyFacebookError } as const;
