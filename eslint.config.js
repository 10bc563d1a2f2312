// ESLint for the suite's own scripts. CommonJS on purpose: package.json stays without
// "type": "module", because the Node tests require() static/js/expressions.js as a script.
const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  // Vendored Leaflet and its plugins are copied from node_modules, not written here; the
  // service worker in templates/ is a Jinja template (its constants are filled in server-side).
  { ignores: ["static/vendor/", "node_modules/", ".venv/", "templates/"] },
  js.configs.recommended,
  {
    // The pages' classic scripts; Leaflet is loaded before them as the global L.
    files: ["static/js/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: { ...globals.browser, L: "readonly" },
    },
  },
  {
    // The tablet client: ES modules, some run inside the service worker's scope too.
    files: ["static/tablet/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.browser, ...globals.serviceworker },
    },
  },
  {
    // Also run by the Node tests, where it exports itself through CommonJS's module.
    files: ["static/js/expressions.js"],
    languageOptions: { globals: { module: "readonly" } },
  },
  {
    // The tests' Node scripts that run the browser code's cases.
    files: ["tests/**/*.js", "tests/**/*.mjs"],
    languageOptions: { ecmaVersion: 2022, globals: globals.node },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: { sourceType: "commonjs", globals: globals.node },
  },
];
