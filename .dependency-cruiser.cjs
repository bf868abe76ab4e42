/**
 * Layering, enforced (VS Code style): who may import whom. Paths are relative to the repo root.
 *   common      → nothing of ours (pure TypeScript shared by every process)
 *   renderer    → common only; no Electron, no Node
 *   preload     → common and electron
 *   common-node → common only (Node-only code shared by main, bank and other Node folders)
 *   payments    → common
 *   peripherals → common, payments
 *   bank        → common, payments
 *   main        → anything but renderer and preload; only main/electron imports electron
 *   hq          → common, common-node (the head office: a service of its own, not part of the station)
 *   bench       → measures the product; nothing imports it
 */
const OURS = '^(common|common-node|renderer|preload|payments|peripherals|bank|main|hq|scripts|test|bench)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'common-imports-nothing-of-ours',
      severity: 'error',
      comment: 'common/ is shared by every process, the renderer included: it may import only other common/ files and npm packages like zod.',
      from: { path: '^common/' },
      to: { path: OURS, pathNot: '^common/' },
    },
    {
      name: 'common-node-imports-only-common',
      severity: 'error',
      comment: 'common-node/ is Node-only code shared by the station, the host and other Node folders: it may import common/ and itself, nothing above them.',
      from: { path: '^common-node/' },
      to: { path: OURS, pathNot: '^(common|common-node)/' },
    },
    {
      name: 'common-is-runtime-neutral',
      severity: 'error',
      comment: 'common/ runs in the browser too: no Node built-ins, no Electron.',
      from: { path: '^common/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-imports-only-common',
      severity: 'error',
      comment: 'The renderer is untrusted web content: it may import common/ and browser packages only.',
      from: { path: '^renderer/' },
      to: { path: OURS, pathNot: '^(common|renderer)/' },
    },
    {
      name: 'renderer-no-node-or-electron',
      severity: 'error',
      comment: 'The renderer runs sandboxed: no Node built-ins, no Electron, no native modules.',
      from: { path: '^renderer/' },
      to: { path: 'node_modules/(electron|usb|ws|node-thermal-printer)/', dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'renderer-no-node-builtins',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'preload-imports-common-and-electron',
      severity: 'error',
      from: { path: '^preload/' },
      to: { path: OURS, pathNot: '^(common|preload)/' },
    },
    {
      name: 'payments-imports-only-common',
      severity: 'error',
      from: { path: '^payments/' },
      to: { path: OURS, pathNot: '^(common|common-node|payments)/' },
    },
    {
      name: 'peripherals-and-bank-stay-below-main',
      severity: 'error',
      comment: 'Device drivers and the host simulator are libraries and a separate process: they never reach into the station, the UI or each other.',
      from: { path: '^(peripherals|bank)/' },
      to: { path: '^(main|renderer|preload|scripts)/' },
    },
    {
      name: 'bank-and-peripherals-are-independent',
      severity: 'error',
      from: { path: '^(peripherals|bank)/' },
      to: { path: '^(peripherals|bank)/', pathNot: '^$1/' },
    },
    {
      name: 'hq-imports-only-common',
      severity: 'error',
      comment: 'The head office is its own service: it shares only common/ (the upload schema, the catalog) and common-node/ with the station.',
      from: { path: '^hq/' },
      to: { path: OURS, pathNot: '^(common|common-node|hq)/' },
    },
    {
      name: 'nothing-of-the-station-imports-hq',
      severity: 'error',
      comment: 'The station talks to the head office over HTTP only; it never links the head office’s code.',
      from: { path: '^(common|common-node|renderer|preload|payments|peripherals|bank|main)/' },
      to: { path: '^hq/' },
    },
    {
      name: 'main-reaches-the-host-over-tcp-only',
      severity: 'error',
      comment: 'The station talks to its acquirer host over TCP, as to a real one. Only main/data-files/ knows the bundled host ledger as a file (backup, restore, support bundles); tests may start and inspect a host.',
      from: { path: '^main/', pathNot: '^main/(data-files|test-support)/|\\.test\\.ts$' },
      to: { path: '^bank/' },
    },
    {
      name: 'main-never-imports-the-ui',
      severity: 'error',
      from: { path: '^main/' },
      to: { path: '^(renderer|preload)/' },
    },
    {
      name: 'only-the-electron-shell-imports-electron',
      severity: 'error',
      comment: 'Electron is imported only by main/electron/ and preload/; everything else runs in plain Node, testable without the binary.',
      from: { path: '^(common|common-node|payments|peripherals|bank|renderer|hq|scripts)/|^main/(?!electron/)' },
      to: { path: 'node_modules/electron/' },
    },
    {
      name: 'nothing-ships-the-benchmarks',
      severity: 'error',
      comment: 'bench/ measures the product; no product code may depend on it.',
      from: { pathNot: '^bench/' },
      to: { path: '^bench/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)\\.vite/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.vue', '.js', '.json'] },
  },
};
