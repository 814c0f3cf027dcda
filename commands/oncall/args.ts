import { z } from 'zod';
import { parseUserMention } from '../incident/args.js';

export { parseUserMention };

/** A schedule name as ops.yml spells it. */
export const scheduleArg = z
  .string()
  .regex(/^[a-z][a-z0-9_-]*$/, 'is not a schedule name; `/ops oncall` lists them')
  .optional();

export const layerArg = z
  .string()
  .regex(/^[a-z][a-z0-9_-]*$/, 'is not a layer name such as primary or secondary')
  .optional();
