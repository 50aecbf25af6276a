import { handlers } from "@/auth";
import { withFacebookLinkRoutes } from "@/server/auth/auth-routes";

export const { GET, POST } = withFacebookLinkRoutes(handlers);
