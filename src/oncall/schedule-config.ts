import type { OncallConfig, OncallLayerConfig, OncallScheduleConfig, OncallWindow } from '../config/oncall-schema.js';
import { WEEKDAYS } from '../config/oncall-schema.js';
import type { RotationLayer, Schedule } from './rotation.js';
import type { WeeklyWindow } from './windows.js';
import { parseCivilDay, parseClock } from './zoned-time.js';

/** Members of a Slack user group, already looked up by the caller (the domain never calls Slack). */
export type GroupMembers = (usergroupId: string) => string[] | undefined;

export function toWindow(w: OncallWindow): WeeklyWindow {
  return { days: w.days.map((d) => WEEKDAYS.indexOf(d)), from: parseClock(w.from)!, to: parseClock(w.to)! };
}

const ALL_DAY_WEEKDAYS: WeeklyWindow = { days: [1, 2, 3, 4, 5], from: 0, to: 0 };

function toLayer(
  name: string,
  layer: OncallLayerConfig,
  businessHours: WeeklyWindow,
  groupMembers: GroupMembers,
): RotationLayer {
  const members = Array.isArray(layer.members)
    ? layer.members
    : [...(groupMembers(layer.members.usergroup) ?? [])].sort();
  const r = layer.restrictions;
  return {
    name,
    members,
    shiftDays: layer.rotation,
    handoff: parseClock(layer.handoff)!,
    startDay: parseCivilDay(layer.start)!,
    restriction:
      r === undefined
        ? undefined
        : r === 'business-hours'
          ? businessHours
          : r === 'weekdays'
            ? ALL_DAY_WEEKDAYS
            : toWindow(r),
  };
}

/** One configured schedule as the rotation code reads it. */
export function scheduleFromConfig(
  name: string,
  schedule: OncallScheduleConfig,
  oncall: Pick<OncallConfig, 'businessHours'>,
  defaultTimeZone: string,
  groupMembers: GroupMembers = () => undefined,
): Schedule {
  const hours = toWindow(oncall.businessHours);
  return {
    name,
    timeZone: schedule.timezone ?? defaultTimeZone,
    layers: Object.entries(schedule.layers).map(([layerName, l]) => toLayer(layerName, l, hours, groupMembers)),
  };
}

/** Every configured schedule, by name, in file order. */
export function schedulesFromConfig(
  oncall: OncallConfig,
  defaultTimeZone: string,
  groupMembers?: GroupMembers,
): Map<string, Schedule> {
  return new Map(
    Object.entries(oncall.schedules).map(([name, s]) => [
      name,
      scheduleFromConfig(name, s, oncall, defaultTimeZone, groupMembers),
    ]),
  );
}
