/**
 * The layering of docs/architecture.md, checked on every `npm test`:
 *   runtime → slack → router → core ← domain → store / aws / probes / jobs
 *   commands → core + views (+ their own helpers, and the operations in aws/probes/backup that take ctx's ports)
 *   views are pure.
 * A violation fails with the rule's name. There is no exceptions list: change the code, not this file.
 */
const DOMAIN = '^src/(access|alerts|checklists|incidents|oncall|backup|reports)/|^src/activity\\.ts$';
const ADAPTERS = '^src/(store|aws|probes|docker|pm2|charts|jobs|http)/';
const FOUNDATION = '^src/(config/|errors\\.ts$|duration\\.ts$|log\\.ts$|redact\\.ts$)';
const UPPER = '^src/(slack|router|sandbox|cli|runtime)/|^src/(runtime|main)\\.ts$|^commands/|^bench/|^test/';
const RAW_CLIENTS =
  'node_modules/(pg|bullmq|ioredis|@aws-sdk/[^/]+|@slack/bolt|@slack/web-api|@slack/socket-mode|dockerode|pm2)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles (type-only references between a port and its implementation do not count).',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'core-imports-nothing-above-it',
      severity: 'error',
      comment:
        'src/core holds ports and shared types. At run time it imports only itself; it may name the data shapes its ports carry with type-only imports.',
      from: { path: '^src/core/' },
      to: { pathNot: ['^src/core/', 'node_modules/(zod|@slack/types)/'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'core-never-reaches-up',
      severity: 'error',
      comment: 'Not even a type from slack/, router/, commands/ or the composition root.',
      from: { path: '^src/core/' },
      to: { path: UPPER },
    },
    {
      name: 'domain-never-reaches-up',
      severity: 'error',
      comment:
        'Domain modules get ports (src/core) for posting, jobs and running commands; they never import the Slack layer or the router.',
      from: { path: DOMAIN },
      to: { path: UPPER },
    },
    {
      name: 'adapters-stay-below',
      severity: 'error',
      comment:
        'Store, AWS, probes, jobs and the other adapters never import the Slack layer, the router, commands or domain modules.',
      from: { path: `${ADAPTERS}|${FOUNDATION}` },
      to: { path: `${UPPER}|${DOMAIN}` },
    },
    {
      name: 'foundation-stays-below',
      severity: 'error',
      comment: 'Config, errors, durations and logging import none of the layers above them.',
      from: { path: FOUNDATION },
      to: { path: `${ADAPTERS}|^src/core/` },
    },
    {
      name: 'commands-use-ports',
      severity: 'error',
      comment:
        'A command gets Postgres, Redis, AWS, Slack and the queue through ctx. It imports core, views, its own helpers, and the operations of aws/, probes/ and backup/ (which take the session or database ctx hands it); never the Slack layer, the router, the store, the job queue, domain services or a raw client.',
      from: { path: '^commands/' },
      to: {
        path: [
          '^src/(slack|router|store|jobs|http|sandbox|cli|runtime|access|alerts|checklists|incidents|oncall)/',
          '^src/(runtime|main|activity)\\.ts$',
          RAW_CLIENTS,
        ],
      },
    },
    {
      name: 'views-are-pure',
      severity: 'error',
      comment:
        'Views turn data into blocks. They may name the data shapes they render (type-only), never run code of the store, AWS, probes, the Slack layer, the router or commands.',
      from: { path: '^views/' },
      to: {
        path: [
          '^src/(slack|router|store|aws|probes|jobs|http|sandbox|cli|runtime|access|alerts|checklists|incidents|oncall|backup|docker|pm2)/',
          '^src/(runtime|main|activity)\\.ts$',
          '^commands/',
        ],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'views-do-no-io',
      severity: 'error',
      comment: 'No file system, network or client library in a view, not even for a type.',
      from: { path: '^views/' },
      to: { path: [RAW_CLIENTS, '^(node:)?(fs|http|https|net|child_process|dgram|dns|tls)$'] },
    },
    {
      name: 'only-the-runtime-names-the-slack-layer',
      severity: 'error',
      comment:
        'src/slack is wired by src/runtime.ts and src/runtime/ (and the demo and the CLI that start it); nothing else imports it.',
      from: {
        path: '^src/',
        pathNot: ['^src/slack/', '^src/(runtime|main)\\.ts$', '^src/runtime/', '^src/sandbox/', '^src/cli/'],
      },
      to: { path: '^src/slack/' },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A source file nothing imports is dead code (entry points and tests aside).',
      from: {
        orphan: true,
        pathNot: [
          '\\.d\\.ts$',
          '^src/main\\.ts$',
          '^src/cli/write-docs\\.ts$',
          '^src/sandbox/demo\\.ts$',
          '^src/sandbox/playground/static/',
          '^bench/',
          '^test/',
          '(^|/)(eslint\\.config|vitest\\.config)\\.[cm]?[jt]s$',
          '^\\.dependency-cruiser\\.cjs$',
        ],
      },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|coverage|\\.cache)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
