import { serve } from "./serve";

await serve("dev", process.argv.slice(2));
