export { Pm2Daemon, Pm2Error, type Pm2Description } from './daemon.js';
export { listProcesses, findProcess, type Pm2Process } from './processes.js';
export { processLogs, type Pm2LogLine, type Pm2LogQuery, type Pm2LogResult } from './logs.js';
export { restartProcess, type Pm2RestartOptions, type Pm2RestartResult } from './restart.js';
export { Pm2Daemons, type Pm2Access } from './access.js';
