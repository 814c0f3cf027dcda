/**
 * The operations guides' recurring checklists, item for item as the guides
 * write them (a test compares each with its source section). A team enables one
 * by naming it under `checklists:` in ops.yml and may override any field.
 * Items get a `command` where an /ops command checks them.
 */
export interface BuiltinItem {
  text: string;
  command?: string;
  runbook?: string;
}

export interface BuiltinChecklist {
  name: string;
  title: string;
  /** Cron in the config's time zone; undefined: posted on demand only. */
  schedule?: string;
  dueAfter: string;
  items: BuiltinItem[];
  /** Where the guides list it: the guide's title (its first line) and the heading above the list. */
  source: { guide: string; heading: string; row?: string };
}

import { GUIDE_CHECKLISTS } from './builtin-checklists-guides.js';

const SOLEMATE = 'SoleMate Operations Guide - Phase 7: Maintenance';
const ESN = 'Maintenance Guide';

export const BUILTIN_CHECKLISTS: BuiltinChecklist[] = [
  {
    name: 'morning',
    title: 'Morning operations checklist',
    schedule: '0 9 * * 1-5',
    dueAfter: '4h',
    source: { guide: SOLEMATE, heading: 'Morning (9 AM)' },
    items: [
      { text: 'Review overnight alerts and incidents', command: 'alarms' },
      { text: 'Check system health dashboard', command: 'health' },
      { text: 'Verify backup completion status', command: 'backup list' },
      { text: 'Review performance metrics and trends', command: 'metrics' },
      { text: 'Check security monitoring dashboard' },
    ],
  },
  {
    name: 'evening',
    title: 'Evening operations checklist',
    schedule: '0 18 * * 1-5',
    dueAfter: '2h',
    source: { guide: SOLEMATE, heading: 'Evening (6 PM)' },
    items: [
      { text: "Review day's performance and incidents", command: 'metrics' },
      { text: 'Check maintenance automation results', command: 'jobs' },
      { text: 'Verify monitoring system health', command: 'alarms' },
      { text: "Plan next day's activities" },
      { text: 'Update team on any ongoing issues' },
    ],
  },
  {
    name: 'daily',
    title: 'Daily maintenance',
    schedule: '0 10 * * 1-5',
    dueAfter: '6h',
    source: { guide: ESN, heading: 'Daily' },
    items: [
      { text: 'Check application health endpoints', command: 'health' },
      { text: 'Review error logs', command: 'logs' },
      { text: 'Monitor response times', command: 'metrics' },
      { text: 'Check database connections', command: 'db connections' },
      { text: 'Verify backup completion', command: 'backup list' },
    ],
  },
  {
    name: 'monday',
    title: 'Monday operations checklist',
    schedule: '0 10 * * 1',
    dueAfter: '8h',
    source: { guide: SOLEMATE, heading: 'Monday' },
    items: [
      { text: 'Review weekend incidents and alerts', command: 'alarms' },
      { text: 'Check database performance insights', command: 'db slow' },
      { text: 'Review cost optimization recommendations' },
      { text: "Plan week's maintenance activities" },
    ],
  },
  {
    name: 'wednesday',
    title: 'Wednesday operations checklist',
    schedule: '0 10 * * 3',
    dueAfter: '8h',
    source: { guide: SOLEMATE, heading: 'Wednesday' },
    items: [
      { text: 'Mid-week performance review', command: 'metrics' },
      { text: 'Check backup integrity and test restoration' },
      { text: 'Review security monitoring reports' },
      { text: 'Update documentation if needed' },
    ],
  },
  {
    name: 'friday',
    title: 'Friday operations checklist',
    schedule: '0 10 * * 5',
    dueAfter: '6h',
    source: { guide: SOLEMATE, heading: 'Friday' },
    items: [
      { text: "Week's performance summary", command: 'metrics' },
      { text: 'Review and apply security updates' },
      { text: 'Prepare weekend coverage plan' },
      { text: 'Archive logs and reports' },
    ],
  },
  {
    name: 'weekly',
    title: 'Weekly maintenance',
    schedule: '0 10 * * 2',
    dueAfter: '3d',
    source: { guide: ESN, heading: 'Weekly' },
    items: [
      { text: 'Review security audit logs' },
      { text: 'Check disk space usage', command: 'db size' },
      { text: 'Analyze slow queries', command: 'db slow' },
      { text: 'Review user feedback/issues' },
      { text: 'Update dependencies (non-breaking)' },
    ],
  },
  {
    name: 'monthly-week-1',
    title: 'Monthly operations — first week',
    schedule: '0 10 * * 1#1',
    dueAfter: '4d',
    source: { guide: SOLEMATE, heading: 'First Week' },
    items: [
      { text: 'Monthly performance report', command: 'metrics' },
      { text: 'Disaster recovery test execution', command: 'dr test' },
      { text: 'Security audit and vulnerability assessment' },
      { text: 'Cost analysis and optimization review' },
    ],
  },
  {
    name: 'monthly-week-2',
    title: 'Monthly operations — second week',
    schedule: '0 10 * * 1#2',
    dueAfter: '4d',
    source: { guide: SOLEMATE, heading: 'Second Week' },
    items: [
      { text: 'Database maintenance and optimization', command: 'db vacuum-stats' },
      { text: 'Review and update monitoring thresholds' },
      { text: 'Infrastructure capacity planning' },
      { text: 'Team training and knowledge sharing' },
    ],
  },
  {
    name: 'monthly-week-3',
    title: 'Monthly operations — third week',
    schedule: '0 10 * * 1#3',
    dueAfter: '4d',
    source: { guide: SOLEMATE, heading: 'Third Week' },
    items: [
      { text: 'SSL certificate renewal check' },
      { text: 'Review and update backup strategies' },
      { text: 'Performance optimization implementation' },
      { text: 'Documentation updates' },
    ],
  },
  {
    name: 'monthly-week-4',
    title: 'Monthly operations — fourth week',
    schedule: '0 10 * * 1#4',
    dueAfter: '4d',
    source: { guide: SOLEMATE, heading: 'Fourth Week' },
    items: [
      { text: 'Monthly reporting to stakeholders' },
      { text: "Plan next month's improvements" },
      { text: 'Review and update procedures' },
      { text: 'Conduct retrospective and lessons learned' },
    ],
  },
  {
    name: 'monthly',
    title: 'Monthly maintenance',
    schedule: '0 10 * * 1#1',
    dueAfter: '7d',
    source: { guide: ESN, heading: 'Monthly' },
    items: [
      { text: 'Database vacuum and analyze', command: 'db vacuum-stats' },
      { text: 'Review and archive old logs' },
      { text: 'Update major dependencies' },
      { text: 'Security vulnerability scan' },
      { text: 'Performance analysis', command: 'metrics' },
      { text: 'Backup verification test' },
    ],
  },
  {
    name: 'quarterly',
    title: 'Quarterly maintenance',
    schedule: '0 10 * 1,4,7,10 1#1',
    dueAfter: '14d',
    source: { guide: ESN, heading: 'Quarterly' },
    items: [
      { text: 'Full security audit' },
      { text: 'Capacity planning review' },
      { text: 'Documentation update' },
      { text: 'Disaster recovery drill', command: 'dr test' },
      { text: 'SSL certificate renewal (if applicable)' },
    ],
  },
  {
    name: 'pre-deploy',
    title: 'Pre-deployment checklist',
    dueAfter: '1h',
    source: { guide: ESN, heading: 'Pre-Deployment' },
    items: [
      { text: 'All tests passing' },
      { text: 'Code reviewed' },
      { text: 'Database migrations tested' },
      { text: 'Backup created', command: 'backup list' },
      { text: 'Rollback plan ready', command: 'deploy history' },
      { text: 'Team notified' },
    ],
  },
  {
    name: 'during-deploy',
    title: 'During deployment',
    dueAfter: '1h',
    source: { guide: ESN, heading: 'During Deployment' },
    items: [
      { text: 'Enable maintenance mode' },
      { text: 'Deploy new version' },
      { text: 'Run migrations' },
      { text: 'Verify health checks', command: 'health' },
      { text: 'Run smoke tests' },
      { text: 'Disable maintenance mode' },
    ],
  },
  {
    name: 'post-deploy',
    title: 'Post-deployment checklist',
    dueAfter: '2h',
    source: { guide: ESN, heading: 'Post-Deployment' },
    items: [
      { text: 'Monitor error logs', command: 'logs' },
      { text: 'Check performance metrics', command: 'metrics' },
      { text: 'Verify user flows' },
      { text: 'Document changes' },
      { text: 'Update documentation' },
    ],
  },
  ...GUIDE_CHECKLISTS,
];

export function builtinChecklist(name: string): BuiltinChecklist | undefined {
  return BUILTIN_CHECKLISTS.find((c) => c.name === name);
}
