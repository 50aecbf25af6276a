// Resolve hook: `server-only` → its empty module (what the react-server condition would pick).
export async function resolve(specifier, context, nextResolve) {
  if (specifier === "server-only") return nextResolve(specifier, { ...context, conditions: ["react-server", ...context.conditions] });
  return nextResolve(specifier, context);
}
