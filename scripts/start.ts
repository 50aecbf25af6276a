import { serve } from "./serve";

// `npm start` is production: secrets must come from the environment, never be generated.
Object.assign(process.env, { NODE_ENV: "production" });
await serve("start", process.argv.slice(2));
