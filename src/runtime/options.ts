import type { ApprovalGate } from '../access/approval-gate.js';
import type { AlertHooks } from '../alerts/deps.js';
import type { RuntimeEnv } from '../config/runtime-env.js';
import type { OpsConfig } from '../config/schema.js';
import type { CommandDefinition } from '../core/command.js';
import type { Logger } from '../log.js';
import type { Pager } from '../oncall/pagers/index.js';
import type { Probes } from '../probes/index.js';

/** What one opsbot process is built from (src/runtime.ts); tests swap the parts they fake. */
export interface RuntimeOptions {
  env: RuntimeEnv;
  config: OpsConfig;
  log: Logger;
  /** Tests pass their own command list or probes; production uses commands/index.ts and the real probes. */
  commands?: CommandDefinition[];
  probes?: Probes;
  approvals?: ApprovalGate;
  /** Tests swap the SNS certificate fetch and subscription confirmation. */
  alertHooks?: AlertHooks;
  /** False for terminal use without a bot token: no Slack client, no user-group lookups. */
  slack?: boolean;
  clock?: () => Date;
  /** Tests hand fake outbound pagers instead of those in oncall.pagers. */
  pagers?: Pager[];
}
