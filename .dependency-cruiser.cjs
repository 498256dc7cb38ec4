// The layers of GridWall (docs/architecture.md), enforced: `npm run lint:deps`, part of `npm test`.
const PRODUCT = '^(protocol|server|renderer|electron)/';
const TEST_FILE = '\\.test\\.tsx?$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'renderer-not-to-server',
      comment: 'The renderer runs in a browser and shares rules with the server through protocol/ only.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^(server|electron)/' },
    },
    {
      name: 'electron-not-to-server-or-renderer',
      comment:
        'The Electron shell loads the renderer by URL and talks to the server over HTTP; shared rules live in protocol/.',
      severity: 'error',
      from: { path: '^electron/' },
      to: { path: '^(server|renderer)/' },
    },
    {
      name: 'server-not-to-ui',
      comment: 'The server serves the built renderer as files; it never imports renderer or electron code.',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^(renderer|electron)/' },
    },
    {
      name: 'protocol-stands-alone',
      comment: 'protocol/ is the contract every side imports; it imports nothing of theirs.',
      severity: 'error',
      from: { path: '^protocol/' },
      to: { path: '^(server|renderer|electron|scripts|test)/' },
    },
    {
      name: 'no-node-in-browser-code',
      comment: 'protocol/ and renderer/ run in the browser: no Node built-ins (tests beside the code may use them).',
      severity: 'error',
      from: { path: '^(protocol|renderer)/', pathNot: TEST_FILE },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'product-not-to-tests-or-scripts',
      comment: 'Benchmarks, fixtures and scripts use the product; the product never uses them (tests beside code may).',
      severity: 'error',
      from: { path: PRODUCT, pathNot: TEST_FILE },
      to: { path: '^(test|scripts)/' },
    },
    {
      name: 'no-module-cycles',
      comment: 'Two modules that import each other: split out what both need.',
      severity: 'error',
      from: { path: PRODUCT },
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      comment:
        'Two folders that import each other (renderer/stream ↔ renderer/state): one of them must not know the other.',
      severity: 'error',
      scope: 'folder',
      from: { path: PRODUCT },
      to: { circular: true },
    },
  ],
  options: {
    // Product code only: tests and scripts may import anything, and the product may import none of
    // them (the edge is kept, the module is not followed), so cycles are cycles of the product.
    doNotFollow: { path: ['node_modules', '^(test|scripts)/'] },
    exclude: { path: ['^(node_modules|out|dist|release)/', TEST_FILE] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
