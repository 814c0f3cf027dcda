import type { BuiltinChecklist } from './builtin-checklists.js';

/**
 * The daily, weekly and monthly lists of the Expo (000) and ExpertConnect
 * (002) guides, item for item as those guides write them, so every guide has
 * its lists. Guide 000 gives its weekly and monthly work as rows of its
 * "Regular Maintenance Schedule" table (`source.row`).
 */
const EXPO = 'Maintenance and Operations Guide';
const EXPERTCONNECT = 'ExpertConnect Platform - Monitoring and Maintenance Guide';

export const GUIDE_CHECKLISTS: BuiltinChecklist[] = [
  {
    name: 'expo-daily',
    title: 'Expo daily checks',
    schedule: '0 9 * * 1-5',
    dueAfter: '4h',
    source: { guide: EXPO, heading: 'Morning Checklist' },
    items: [
      { text: 'Check application health in EB console', command: 'status' },
      { text: 'Review CloudWatch alarms (should be none)', command: 'alarms' },
      { text: 'Check RDS performance metrics', command: 'metrics' },
      { text: 'Review application logs for errors', command: 'logs' },
      { text: 'Verify backup completion', command: 'backup list' },
    ],
  },
  {
    name: 'expo-weekly',
    title: 'Expo weekly maintenance',
    schedule: '0 10 * * 1',
    dueAfter: '1d',
    source: { guide: EXPO, heading: 'Regular Maintenance Schedule', row: 'Weekly' },
    items: [{ text: 'Review costs' }, { text: 'backup verification', command: 'backup verify' }],
  },
  {
    name: 'expo-monthly',
    title: 'Expo monthly maintenance',
    schedule: '0 10 1 * *',
    dueAfter: '3d',
    source: { guide: EXPO, heading: 'Regular Maintenance Schedule', row: 'Monthly' },
    items: [{ text: 'Update dependencies' }, { text: 'security patches' }],
  },
  {
    name: 'expertconnect-daily',
    title: 'ExpertConnect daily tasks',
    schedule: '0 9 * * 1-5',
    dueAfter: '6h',
    source: { guide: EXPERTCONNECT, heading: 'Daily Tasks' },
    items: [
      { text: 'Check system logs for errors and warnings', command: 'logs' },
      { text: 'Monitor active users and ongoing meetings' },
      { text: 'Verify credit transactions are processing correctly' },
      { text: 'Check disk space on database and application servers', command: 'db size' },
    ],
  },
  {
    name: 'expertconnect-weekly',
    title: 'ExpertConnect weekly tasks',
    schedule: '0 10 * * 1',
    dueAfter: '1d',
    source: { guide: EXPERTCONNECT, heading: 'Weekly Tasks' },
    items: [
      { text: 'Review performance metrics for slow API endpoints', command: 'metrics' },
      { text: 'Check database growth and plan for scaling if needed', command: 'db tables' },
      { text: 'Review user feedback and support requests' },
      { text: 'Test video conferencing functionality' },
    ],
  },
  {
    name: 'expertconnect-monthly',
    title: 'ExpertConnect monthly tasks',
    schedule: '0 10 1 * *',
    dueAfter: '3d',
    source: { guide: EXPERTCONNECT, heading: 'Monthly Tasks' },
    items: [
      { text: 'Apply security updates to all system components' },
      { text: 'Perform database maintenance (vacuum, analyze)', command: 'db vacuum-stats' },
      { text: 'Review and optimize database indexes', command: 'db indexes' },
      { text: 'Test backup restoration procedures', command: 'backup verify' },
      { text: 'Review AWS costs and optimize resource usage' },
    ],
  },
];
