// ESLint for the browser code (site_src/javascripts): the recommended rules, with the globals
// of the pages, of the scoring worker and, for the unit tests beside the modules, of Node.
import globals from "globals";
import js from "@eslint/js";

export default [
  { ignores: ["site/**", "node_modules/**", ".venv/**", "benchmarks/**", "tests/**", "e2e/**"] },
  {
    files: ["site_src/javascripts/**/*.{js,mjs}"],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: "module",
      globals: { ...globals.browser },
    },
    rules: {
      ...js.configs.recommended.rules,
      // `const { where, ...data } = record`: the idiom for "record without `where`".
      "no-unused-vars": ["error", { ignoreRestSiblings: true }],
    },
  },
  {
    files: ["site_src/javascripts/theme.js", "site_src/javascripts/python/start.js"],
    languageOptions: { sourceType: "script" },
  },
  {
    files: ["site_src/javascripts/python/worker.mjs", "site_src/javascripts/python/snapshot.mjs"],
    languageOptions: { globals: { ...globals.worker } },
  },
  {
    files: ["site_src/javascripts/**/*.test.mjs"],
    languageOptions: { globals: { ...globals.node } },
  },
];
