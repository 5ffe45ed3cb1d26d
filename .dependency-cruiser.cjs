// The allowed directions of imports between the folders of src/ (see ARCHITECTURE.md), checked by `npm run layers`
// with dependency-cruiser (https://github.com/sverweij/dependency-cruiser/blob/main/doc/rules-reference.md:
// `forbidden` rules with `from`/`to` path patterns, `circular: true`, and `tsPreCompilationDeps` so that
// type-only imports count too). test/architecture/layers.test.ts proves each rule can fail.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain is the pure core: it imports only itself, src/errors.ts and npm packages.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: ['^src/domain/', '^src/errors\\.ts$'] },
    },
    {
      name: 'store-below-edges',
      comment:
        'src/store keeps the tables; it never reaches the channels (src/notify), the HTTP edge (src/http), the sources, ' +
        'the engine, the daemon or the configuration: the row types it shares with them live in src/domain.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/(notify|http|http-client|sources|engine|daemon|config|files)/' },
    },
    {
      name: 'config-below-edges',
      comment:
        'src/config is read by the edges and gives them their slices; it imports only itself, src/domain and ' +
        'src/errors.ts (the parsers of its values live in it, not in the edges that use the values).',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: '^src/', pathNot: ['^src/config/', '^src/domain/', '^src/errors\\.ts$'] },
    },
    {
      name: 'http-client-is-shared',
      comment: 'src/http-client holds what outgoing HTTP calls share; it sits below channels and sources and imports neither.',
      severity: 'error',
      from: { path: '^src/http-client/' },
      to: { path: '^src/', pathNot: ['^src/http-client/', '^src/domain/', '^src/errors\\.ts$'] },
    },
    {
      name: 'channels-not-sources',
      comment: 'The channels (src/notify) and the sources (src/sources) are siblings: what they share sits below both.',
      severity: 'error',
      from: { path: '^src/notify/' },
      to: { path: '^src/sources/' },
    },
    {
      name: 'sources-not-channels',
      comment: 'The sources (src/sources) never send: they queue alerts through the store, and the channels deliver them.',
      severity: 'error',
      from: { path: '^src/sources/' },
      to: { path: '^src/notify/' },
    },
    {
      name: 'cli-is-the-top',
      comment: 'src/cli is the outermost shell: nothing else in src/ imports it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'no-cycles',
      comment: 'Imports go one way: no module reaches itself again through its imports (the bench and scripts too).',
      severity: 'error',
      from: { path: '^(src|bench|scripts)/' },
      to: { circular: true },
    },
    {
      name: 'no-unresolvable',
      comment: 'Every relative import resolves to a file.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    exclude: { path: '(^|/)(dist|node_modules)/' },
    // Resolve packages through their `exports` maps (csv-parse/sync), as Node does.
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['require', 'node', 'default', 'types'] },
  },
};
