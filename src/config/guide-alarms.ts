import type { AlarmGuideName } from './alarms-schema.js';

/**
 * The CloudWatch alarms each guide recommends, as `/ops alarms audit` checks and `--create` makes them.
 * `resource` says what the alarm is about; src/aws/alarm-audit.ts finds it for an environment:
 *  - `rds`: the environment's RDS instance (AWS/RDS, DBInstanceIdentifier)
 *  - `alb`: its Application Load Balancer (AWS/ApplicationELB, LoadBalancer)
 *  - `target-group`: each of the load balancer's target groups (AWS/ApplicationELB, TargetGroup + LoadBalancer)
 *  - `app`: each ECS service (AWS/ECS, ClusterName + ServiceName) or the Beanstalk Auto Scaling group (AWS/EC2)
 */
export interface RecommendedAlarm {
  /** The alarm name's suffix: `<prefix>-<key>` (per service or target group: `<prefix>-<name>-<key>`). */
  key: string;
  /** "Database CPU > 90 %", as the guide says it. */
  title: string;
  level: 'critical' | 'warning';
  resource: 'rds' | 'alb' | 'target-group' | 'app';
  /** The metric; with `per`, the numerator of a percentage (100 × metric / per, in metric math). */
  metric: string;
  per?: string;
  /** Average | Sum | Minimum | Maximum, or a percentile such as p99. */
  statistic: string;
  comparison: 'GreaterThanThreshold' | 'LessThanThreshold';
  threshold: number;
  /** Seconds per period, and how many periods in a row must breach. */
  period: number;
  evaluationPeriods: number;
  /** For the table: "90 %", "2 GB", "5 s". */
  shown: string;
  /** Only on ECS (Beanstalk publishes no memory metric without the CloudWatch agent). */
  ecsOnly?: boolean;
}

export interface AlarmGuide {
  name: AlarmGuideName;
  /** The guide and its section, named on every line that comes from it. */
  source: string;
  alarms: RecommendedAlarm[];
}

const GiB = 1024 ** 3;

const FIVE_XX = {
  resource: 'alb',
  metric: 'HTTPCode_Target_5XX_Count',
  per: 'RequestCount',
  statistic: 'Sum',
} as const;

export const ALARM_GUIDE_TABLE: Record<AlarmGuideName, AlarmGuide> = {
  // Expo "Maintenance and Operations Guide" → Monitoring → Setting Up Alerts: Critical Alerts and Warning Alerts.
  // Periods: opsbot (5 minutes, CloudWatch's basic monitoring) where the guide gives no window.
  expo: {
    name: 'expo',
    source: 'Expo Maintenance and Operations Guide → Setting Up Alerts',
    alarms: [
      {
        key: 'db-cpu-critical',
        title: 'Database CPU > 90 %',
        level: 'critical',
        resource: 'rds',
        metric: 'CPUUtilization',
        statistic: 'Average',
        comparison: 'GreaterThanThreshold',
        threshold: 90,
        period: 300,
        evaluationPeriods: 1,
        shown: '90 %',
      },
      {
        key: '5xx-rate-critical',
        title: '5xx error rate > 5 %',
        level: 'critical',
        ...FIVE_XX,
        comparison: 'GreaterThanThreshold',
        threshold: 5,
        period: 300,
        evaluationPeriods: 1,
        shown: '5 %',
      },
      {
        key: 'db-storage-critical',
        title: 'Database storage < 2 GB',
        level: 'critical',
        resource: 'rds',
        metric: 'FreeStorageSpace',
        statistic: 'Minimum',
        comparison: 'LessThanThreshold',
        threshold: 2 * GiB,
        period: 300,
        evaluationPeriods: 1,
        shown: '2 GB',
      },
      {
        key: 'cpu-high',
        title: 'CPU > 70 % for 10 minutes',
        level: 'warning',
        resource: 'app',
        metric: 'CPUUtilization',
        statistic: 'Average',
        comparison: 'GreaterThanThreshold',
        threshold: 70,
        period: 300,
        evaluationPeriods: 2,
        shown: '70 %',
      },
      {
        key: 'latency-high',
        title: 'Response time > 1 second',
        level: 'warning',
        resource: 'alb',
        metric: 'TargetResponseTime',
        statistic: 'Average',
        comparison: 'GreaterThanThreshold',
        threshold: 1,
        period: 300,
        evaluationPeriods: 1,
        shown: '1 s',
      },
    ],
  },
  // Invoice "Operations Guide" → Monitoring → AWS CloudWatch Alarms → Key Alarms.
  invoice: {
    name: 'invoice',
    source: 'Invoice Operations Guide → AWS CloudWatch Alarms (Key Alarms)',
    alarms: [
      {
        key: '5xx-rate-critical',
        title: 'Error rate > 1 % (5-minute window)',
        level: 'critical',
        ...FIVE_XX,
        comparison: 'GreaterThanThreshold',
        threshold: 1,
        period: 300,
        evaluationPeriods: 1,
        shown: '1 %',
      },
      {
        key: 'latency-p99',
        title: 'P99 latency > 5 seconds',
        level: 'critical',
        resource: 'alb',
        metric: 'TargetResponseTime',
        statistic: 'p99',
        comparison: 'GreaterThanThreshold',
        threshold: 5,
        period: 300,
        evaluationPeriods: 1,
        shown: '5 s',
      },
      {
        // "> 2 consecutive failures": an unhealthy target for three one-minute periods in a row.
        key: 'health-checks',
        title: 'Failed health checks: > 2 consecutive failures',
        level: 'critical',
        resource: 'target-group',
        metric: 'UnHealthyHostCount',
        statistic: 'Maximum',
        comparison: 'GreaterThanThreshold',
        threshold: 0,
        period: 60,
        evaluationPeriods: 3,
        shown: '> 0 for 3 min',
      },
    ],
  },
  // SoleMate "Operations Guide – Phase 7" → Monitoring → Alert Thresholds: Warning (P2) "High resource utilization
  // (>80%), elevated error rates (>5%)". Window: opsbot (one 5-minute period; the guide gives none).
  solemate: {
    name: 'solemate',
    source: 'SoleMate Operations Guide → Alert Thresholds (Warning P2)',
    alarms: [
      {
        key: 'cpu-high',
        title: 'CPU > 80 %',
        level: 'warning',
        resource: 'app',
        metric: 'CPUUtilization',
        statistic: 'Average',
        comparison: 'GreaterThanThreshold',
        threshold: 80,
        period: 300,
        evaluationPeriods: 1,
        shown: '80 %',
      },
      {
        key: 'memory-high',
        title: 'Memory > 80 %',
        level: 'warning',
        resource: 'app',
        metric: 'MemoryUtilization',
        statistic: 'Average',
        comparison: 'GreaterThanThreshold',
        threshold: 80,
        period: 300,
        evaluationPeriods: 1,
        shown: '80 %',
        ecsOnly: true,
      },
      {
        key: '5xx-rate-high',
        title: '5xx error rate > 5 %',
        level: 'warning',
        ...FIVE_XX,
        comparison: 'GreaterThanThreshold',
        threshold: 5,
        period: 300,
        evaluationPeriods: 1,
        shown: '5 %',
      },
    ],
  },
};
