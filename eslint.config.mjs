import next from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Emulators are reached only through the sandbox mount's dynamic import, so a production server
// never loads their code (docs/decisions/013-boundaries-as-code.md).
const EMULATOR_IMPORTS = {
  group: ["@/emulators", "@/emulators/*", "**/emulators/**"],
  message: "Only the sandbox mount (src/server/sandbox/) may import an emulator, and only dynamically.",
};

const config = [
  ...next,
  ...nextTs,
  { ignores: [".next/**", "node_modules/**", ".data/**", "next-env.d.ts", "test-results/**"] },
  {
    rules: {
      "@next/next/no-html-link-for-pages": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Tests may drive an emulator directly (as tests/kit does).
    files: ["src/**/*.ts", "src/**/*.tsx"],
    ignores: ["src/emulators/**", "src/server/sandbox/**", "src/**/*.test.ts"],
    rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns: [EMULATOR_IMPORTS] }] },
  },
  {
    // UI and client-safe modules take only types from the server side; values come through props.
    files: ["src/components/**/*.ts", "src/components/**/*.tsx", "src/lib/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            EMULATOR_IMPORTS,
            {
              group: ["@/server", "@/server/*", "**/server/**", "@/env", "@/auth"],
              allowTypeImports: true,
              message: "Components and src/lib import only types from the server side (pure helpers live in src/lib).",
            },
          ],
        },
      ],
    },
  },
];
export default config;
