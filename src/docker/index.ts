export { DockerEngine, connectionOptions, PROJECT_LABEL, SERVICE_LABEL } from './engine.js';
export { DockerError, toDockerError } from './errors.js';
export {
  listServices,
  projectContainers,
  type ComposeService,
  type ServiceContainer,
  type ContainerHealth,
} from './services.js';
export { serviceLogs, parseLogs, demultiplex, type LogLine, type LogQuery, type LogResult } from './logs.js';
export { serviceStats, toSample, type ContainerStats, type StatsSample, type StatsQuery } from './stats.js';
export { restartService, type RestartOptions, type RestartResult, type RestartedContainer } from './restart.js';
export { DockerEngines, type DockerAccess } from './access.js';
