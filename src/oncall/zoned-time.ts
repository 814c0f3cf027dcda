/** The zone arithmetic moved to src/config (business calendars use it too); on-call code keeps importing it from here. */
export * from '../config/zoned-time.js';
