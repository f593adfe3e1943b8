// The direction data flows in (README "How data flows"), as rules `npm run deps:check` enforces:
// extract → etl → sql → metrics → server → client, with bin/ and report/ on top. Lower layers never
// know a higher one exists, and the browser sees nothing of the Node side but the shared contract.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes load order matter and the modules impossible to read one at a time.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'lower-layers-stay-below',
      severity: 'error',
      comment:
        'etl/, sql/ and metrics/ are used by the command line, the report writer and the server; ' +
        'they must not import them, nor the pages.',
      from: { path: '^(etl|sql|metrics)/' },
      to: { path: '^(server|client|report|bin)/' },
    },
    {
      name: 'client-sees-only-the-contract',
      severity: 'error',
      comment:
        'The page gets its data from the API. From the Node side it may import only metrics/contract/ ' +
        '(types and pure helpers both sides share).',
      from: { path: '^client/' },
      to: { path: '^(server|etl|sql|bin|report|metrics)/', pathNot: '^metrics/contract/' },
    },
    {
      name: 'contract-is-self-contained',
      severity: 'error',
      comment: 'metrics/contract/ is bundled into the page: it must not pull in DuckDB or Node.',
      from: { path: '^metrics/contract/' },
      to: { pathNot: '^metrics/contract/' },
    },
    {
      name: 'server-is-not-a-client',
      severity: 'error',
      comment: 'The server serves the built page; it does not import the page or the command line.',
      from: { path: '^server/' },
      to: { path: '^(client|bin)/' },
    },
    {
      name: 'runtime-needs-no-dev-dependency',
      severity: 'error',
      comment:
        'What `npm ci --omit=dev` installs must be enough to run lscb: a package imported at run time ' +
        'belongs in dependencies (type-only imports are erased and do not count).',
      from: { path: '^(bin|server|metrics|report|sql|etl|client)/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unlisted-package',
      severity: 'error',
      comment: 'A package in node_modules but not in package.json is missing on a fresh `npm ci`.',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing is a typo or a missing package.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|data|bench/out|tests/fixtures|tests/\\.tmp)/' },
    // Type-only imports are dependencies too: they count for cycles and layers, and can be told apart.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
