import { handlers } from "@/auth";
import { withLinkRoutes } from "@/server/auth/auth-routes";

export const { GET, POST } = withLinkRoutes(handlers);
