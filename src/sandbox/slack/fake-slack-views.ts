// views.open, views.push, views.update and views.publish for the fake Slack Web API: each view is checked
// against Block Kit's rules for its surface (modal or App Home) and answered as Slack documents it.
import { checkView, invalidViewAnswer, type Surface } from '../../../views/block-kit-rules.js';
import { err, type Answer, type Args, type FakeState, type MethodHandler } from './fake-slack-state.js';

export const VIEW_METHODS: Record<string, MethodHandler> = {
  'views.open': (a, s) => openView(a, s),
  'views.push': (a, s) => openView(a, s),
  'views.update': (a, s) => {
    const id = a.view_id ?? Object.keys(s.views).find((k) => a.external_id && s.views[k].external_id === a.external_id);
    if (!id || !s.views[id]) return err('not_found');
    const bad = checkViewArg(a.view, 'modal');
    if (bad) return bad;
    s.views[id] = { ...s.views[id], ...a.view, id, hash: `${Date.now()}.${id}` };
    return { ok: true, view: s.views[id] };
  },
  'views.publish': (a, s) => {
    if (!a.user_id)
      return err('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: user_id'] } });
    const bad = checkViewArg(a.view, 'home');
    if (bad) return bad;
    const id =
      Object.keys(s.views).find((k) => s.views[k].type === 'home' && s.views[k].user_id === a.user_id) ?? s.nextId('V');
    s.views[id] = {
      id,
      team_id: s.teamId,
      app_id: 'A0FAKEAPP',
      bot_id: s.botId,
      ...a.view,
      user_id: a.user_id,
      hash: `${Date.now()}.${id}`,
    };
    return { ok: true, view: s.views[id] };
  },
};

function openView(a: Args, s: FakeState): Answer {
  if (!a.trigger_id && !a.interactivity_pointer)
    return err('invalid_arguments', {
      response_metadata: { messages: ['[ERROR] missing required field: trigger_id'] },
    });
  const bad = checkViewArg(a.view, 'modal');
  if (bad) return bad;
  const id = s.nextId('V');
  s.views[id] = {
    id,
    team_id: s.teamId,
    type: 'modal',
    blocks: [],
    private_metadata: '',
    callback_id: '',
    external_id: '',
    state: { values: {} },
    clear_on_close: false,
    notify_on_close: false,
    root_view_id: id,
    previous_view_id: null,
    app_id: 'A0FAKEAPP',
    bot_id: s.botId,
    ...a.view,
    hash: `${Date.now()}.${id}`,
  };
  return { ok: true, view: s.views[id] };
}

function checkViewArg(view: unknown, surface: Surface): Answer | undefined {
  const problems = checkView(view, surface);
  return problems.length ? invalidViewAnswer(problems) : undefined;
}
