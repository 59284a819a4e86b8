// The architecture's import rules, checked by `npm run lint` (dependency-cruiser). Type-only imports count:
// a port's types are part of what a module depends on. A subpath import (`sequelize/lib/...`) is its package.
/**
 * Where domain code may go: zod, node:crypto, the domain itself, the one error type and the event contracts. zod is
 * matched anywhere: a node_modules linked from elsewhere resolves outside the project.
 */
const DOMAIN_REACH = ['(^|/)node_modules/zod/', '^crypto$', '^shared/domain/', '^shared/errors/', '^events/'];

/* global module */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-stays-pure',
      comment:
        'Use cases and shared/domain reach only zod, node:crypto, shared/domain, shared/errors and events/ ' +
        '(and, for a use case, the pure files of its own folder): drivers come in through ports.',
      severity: 'error',
      from: { path: '^(shared/domain/|functions/[^/]+/[^/]+/use-case\\.ts$)' },
      to: {
        reachable: true,
        pathNot: [...DOMAIN_REACH, '^functions/[^/]+/[^/]+/(?!index\\.ts$|function\\.ts$)[^/]+\\.ts$'],
      },
    },
    {
      name: 'use-case-folder-is-pure',
      comment: "A use case's own helper files follow the same rule as the use case.",
      severity: 'error',
      from: { path: '^functions/[^/]+/[^/]+/use-case\\.ts$' },
      to: { reachable: true, path: '^functions/[^/]+/[^/]+/(index|function)\\.ts$' },
    },
    {
      name: 'no-cross-service',
      comment: 'No service imports another: they meet through events, gRPC and shared/.',
      severity: 'error',
      from: { path: '^functions/([^/]+)/' },
      to: { path: '^functions/', pathNot: '^functions/$1/' },
    },
    {
      name: 'shared-is-below-functions',
      comment: 'shared/ is the library the functions build on; it never imports them.',
      severity: 'error',
      from: { path: '^(shared|events)/' },
      to: { path: '^functions/' },
    },
    {
      name: 'product-without-tooling',
      comment: 'Nothing shipped imports the local stack, the tests or the benchmarks.',
      severity: 'error',
      from: { path: '^(functions|shared|events|proto)/' },
      to: { path: '^(dev|test|bench)/' },
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
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
    exclude: { path: '^(dist|\\.data)/' },
  },
};
