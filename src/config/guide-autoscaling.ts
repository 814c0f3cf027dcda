/**
 * The auto-scaling settings `/ops autoscaling` compares with (shared/seeds).
 *
 * SoleMate "Operations Guide – Phase 7: Maintenance" → Performance Optimization → Scaling Policies →
 * "ECS Service Auto-Scaling": CPU target 70 %, memory target 80 %, scale-out and scale-in cooldown 5 minutes,
 * min capacity 2 tasks, max capacity 20 tasks.
 *
 * Elastic Beanstalk is judged by the same line (min 2 / max 20, CPU 70 %, cooldown 5 min), as `/ops config` does:
 * the Expo "Maintenance and Operations Guide" → "Scale Application" only shows a console example (Min 1, Max 4,
 * "Scaling triggers: CPU > 70%"), whose single minimum instance leaves nothing serving while it is replaced.
 * Its CPU > 70 % trigger agrees with SoleMate's target. Beanstalk has no memory metric without the CloudWatch agent.
 */
export const ECS_AUTOSCALING_GUIDE = {
  guide: 'SoleMate Operations Guide (ECS Service Auto-Scaling)',
  minCapacity: 2,
  maxCapacity: 20,
  cpuTargetPercent: 70,
  memoryTargetPercent: 80,
  scaleOutCooldownSeconds: 300,
  scaleInCooldownSeconds: 300,
} as const;

export const EB_AUTOSCALING_GUIDE = {
  guide:
    'SoleMate Operations Guide (min 2 / max 20, cooldown 5 min) and Expo Maintenance and Operations Guide (trigger CPU > 70 %)',
  minSize: ECS_AUTOSCALING_GUIDE.minCapacity,
  maxSize: ECS_AUTOSCALING_GUIDE.maxCapacity,
  triggerMeasure: 'CPUUtilization',
  triggerUpperPercent: 70,
  cooldownSeconds: 300,
} as const;

/** A typo such as `--max 200` should not quietly allow 200 instances (as `/ops scale` caps counts). */
export const AUTOSCALING_MAX_LIMIT = 100;
