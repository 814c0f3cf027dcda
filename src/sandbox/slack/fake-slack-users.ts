// users.info and the user group methods for the fake Slack Web API.
import { err, list, type MethodHandler } from './fake-slack-state.js';

export const USER_METHODS: Record<string, MethodHandler> = {
  'users.info': (a, s) => {
    const id = String(a.user ?? '');
    if (!id) return err('user_not_found');
    const name = id === s.botUserId ? 'opsbot' : `user-${id.toLowerCase()}`;
    const base = {
      id,
      team_id: s.teamId,
      name,
      deleted: false,
      real_name: name,
      tz: 'Europe/Paris',
      tz_offset: 3600,
      is_bot: id === s.botUserId,
      is_admin: false,
      is_restricted: false,
      profile: { real_name: name, display_name: name, email: `${name}@example.com`, team: s.teamId },
    };
    return { ok: true, user: { ...base, ...s.users[id] } };
  },
  'usergroups.users.list': (a, s) => {
    const users = s.usergroups[String(a.usergroup ?? '')];
    return users ? { ok: true, users: [...users] } : err('no_such_subteam');
  },

  // https://api.slack.com/methods/usergroups.users.update: users is a comma-separated list; the answer is the group.
  'usergroups.users.update': (a, s) => {
    const id = String(a.usergroup ?? '');
    if (!s.usergroups[id]) return err('no_such_subteam');
    const users = list(a.users);
    if (users.length === 0) return err('invalid_users');
    s.usergroups[id] = users;
    return {
      ok: true,
      usergroup: {
        id,
        team_id: s.teamId,
        is_usergroup: true,
        name: id.toLowerCase(),
        handle: id.toLowerCase(),
        users: [...users],
        user_count: String(users.length),
        date_update: Math.floor(Date.now() / 1000),
      },
    };
  },
};
