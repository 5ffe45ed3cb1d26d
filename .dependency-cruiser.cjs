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
      comment: 'src/store keeps the tables; it never reaches the channels (src/notify) or the HTTP edge (src/http).',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/(notify|http)/' },
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
      comment: 'Imports go one way: no module reaches itself again through its imports.',
      severity: 'error',
      from: { path: '^src/' },
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
