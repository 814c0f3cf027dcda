import { z } from 'zod';

/** The guides whose recommended CloudWatch alarms `/ops alarms audit` knows (src/config/guide-alarms.ts). */
export const ALARM_GUIDES = ['expo', 'invoice', 'solemate'] as const;
export type AlarmGuideName = (typeof ALARM_GUIDES)[number];

/** environments.<env>.alarms */
export const environmentAlarmsSchema = z.strictObject({
  /** Which CloudWatch alarms belong to this environment (AlarmNamePrefix); alarms opsbot creates start with it too. */
  prefix: z.string().min(1),
  /** Whose recommended alarms `/ops alarms audit` compares with; default: expo on Beanstalk, solemate on ECS. */
  guide: z.enum(ALARM_GUIDES).optional(),
  /** The SNS topic alarms created by `/ops alarms audit --create` notify (the one opsbot's alert intake receives). */
  snsTopic: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+$/,
      'expected an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:ops-alerts',
    )
    .optional(),
});
