// The playground page: channels, messages rendered from Block Kit, a composer
// for /ops, modals. It only ever talks to /playground/api/*, which turns what
// happens here into the signed requests Slack would send.
import { collectValues, renderBlocks } from './blocks.js';
import { mrkdwn } from './mrkdwn.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const ui = {
  user: params.get('user') ?? localStorage.getItem('pg-user') ?? 'U0ALICE',
  channel: params.get('channel') ?? localStorage.getItem('pg-channel') ?? 'C0OPS',
  data: null,
  seen: {},
  viewKey: '',
  history: [],
  historyAt: 0,
};

async function api(op, body) {
  const res = await fetch(`/playground/api/${op}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: ui.user, ...body }),
  });
  return res.json();
}

let loading = false;
let again = false;
async function refresh() {
  if (loading) {
    again = true;
    return;
  }
  loading = true;
  try {
    const res = await fetch(`/playground/api/state?user=${encodeURIComponent(ui.user)}`);
    ui.data = await res.json();
    render();
  } catch {
    $('connection').textContent = 'bot unreachable — is npm run demo still running?';
  } finally {
    loading = false;
    if (again) {
      again = false;
      void refresh();
    }
  }
}

function render() {
  const d = ui.data;
  if (!d) return;
  const users = $('user');
  if (users.options.length === 0) {
    for (const p of d.people) users.append(new Option(`${p.realName} — ${p.title}`, p.id));
  }
  users.value = ui.user;

  const nav = $('channels');
  nav.replaceChildren(
    ...d.channels.map((c) => {
      const a = document.createElement('a');
      a.href = `#${c.name}`;
      a.textContent = `# ${c.name}`;
      a.dataset.channel = c.id;
      const count = d.timelines[c.id]?.length ?? 0;
      if (c.id === ui.channel) {
        a.className = 'active';
        ui.seen[c.id] = count;
      } else if (count > (ui.seen[c.id] ?? 0)) a.className = 'unread';
      a.onclick = (e) => {
        e.preventDefault();
        switchChannel(c.id);
      };
      return a;
    }),
  );

  const fleet = $('fleet');
  fleet.innerHTML = d.fleet
    ? `<div>${d.fleet.alarm ? '<span class="alarm">🚨 latency alarm firing</span>' : '<span class="ok">● no alarm firing</span>'}</div><div>${esc(d.fleet.beanstalk)}</div><div>${esc(d.fleet.ecs)}</div><div>${esc(d.fleet.rds)}</div>`
    : '';

  const channel = d.channels.find((c) => c.id === ui.channel) ?? d.channels[0];
  ui.channel = channel.id;
  $('channel-name').textContent = `# ${channel.name}`;
  renderMessages(d.timelines[channel.id] ?? []);
  renderModal(d.view);
}

const esc = (s) =>
  String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');

function renderMessages(entries) {
  const pane = $('messages');
  const atBottom = pane.scrollHeight - pane.scrollTop - pane.clientHeight < 80;
  const openMenus = pane.querySelector('.overflow-menu:not([hidden])');
  if (openMenus) return; // don't pull a menu from under the pointer; the next update re-renders
  if (entries.length === 0) {
    pane.innerHTML = '<div class="empty">Nothing here yet. Type <code>/ops help</code> below.</div>';
    return;
  }
  pane.replaceChildren(...entries.map(renderEntry));
  if (atBottom || ui.scrollNext) pane.scrollTop = pane.scrollHeight;
  ui.scrollNext = false;
}

function renderEntry(e) {
  const people = ui.data.people;
  const row = document.createElement('div');
  row.className = `msg${e.ephemeral ? ' ephemeral' : ''}${e.threadTs && e.threadTs !== e.ts ? ' thread' : ''}`;
  row.dataset.key = e.key;
  const avatar = document.createElement('div');
  avatar.className = `avatar${e.bot ? ' bot' : ''}`;
  avatar.textContent = e.bot ? '⚙' : e.author[0];
  const body = document.createElement('div');
  body.className = 'body';
  const time = new Date(Number(e.ts) * 1000).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  body.innerHTML = `<div class="meta"><b>${esc(e.author)}</b>${e.bot ? '<span class="app">APP</span>' : ''}<time>${time}</time>${e.edited ? '<span class="edited">(edited)</span>' : ''}${e.ephemeral ? '<span class="ephemeral-note">Only visible to you</span>' : ''}</div>`;
  const c = { people, channels: ui.data.channels, inModal: false, on: { action: (action) => click(e, action) } };
  const hasBlocks = (e.blocks?.length ?? 0) > 0;
  if (hasBlocks) body.append(renderBlocks(e.blocks, c));
  else if (e.text && !e.attachments?.length)
    body.insertAdjacentHTML('beforeend', `<div class="text">${mrkdwn(e.text, people)}</div>`);
  for (const a of e.attachments ?? []) {
    const att = document.createElement('div');
    att.className = 'attachment';
    att.style.borderLeftColor = a.color?.startsWith('#')
      ? a.color
      : ({ good: '#2eb67d', warning: '#ecb22e', danger: '#e01e5a' }[a.color] ?? '#ddd');
    if (a.blocks?.length) att.append(renderBlocks(a.blocks, c));
    else if (a.text || a.fallback) att.innerHTML = `<div class="text">${mrkdwn(a.text ?? a.fallback, people)}</div>`;
    body.append(att);
  }
  row.append(avatar, body);
  return row;
}

async function click(entry, action) {
  document.querySelectorAll(`[data-key="${CSS.escape(entry.key)}"] button`).forEach((b) => {
    b.disabled = true;
  });
  const out = await api('action', { channel: ui.channel, ref: entry.ref, action });
  if (!out.ok) $('connection').textContent = `the bot answered HTTP ${out.status ?? '?'} ${out.error ?? ''}`;
  void refresh();
}

function renderModal(view) {
  const backdrop = $('modal');
  if (!view) {
    backdrop.hidden = true;
    backdrop.replaceChildren();
    ui.viewKey = '';
    return;
  }
  const key = `${view.id}/${view.hash}`;
  if (key === ui.viewKey) return; // keep what the person is typing
  ui.viewKey = key;
  const modal = document.createElement('form');
  modal.className = 'modal';
  modal.innerHTML = `<h2>${esc(view.title?.text ?? 'opsbot')}</h2>`;
  const content = document.createElement('div');
  content.className = 'content';
  content.append(
    renderBlocks(view.blocks, {
      people: ui.data.people,
      channels: ui.data.channels,
      inModal: true,
      on: {
        action: (action) => api('action', { viewId: view.id, action, values: collectValues(content) }).then(refresh),
      },
    }),
  );
  const footer = document.createElement('footer');
  const close = Object.assign(document.createElement('button'), {
    type: 'button',
    textContent: view.close?.text ?? 'Cancel',
  });
  close.onclick = async () => {
    await api('close', { viewId: view.id });
    void refresh();
  };
  footer.append(close);
  if (view.submit)
    footer.append(
      Object.assign(document.createElement('button'), {
        type: 'submit',
        className: 'primary',
        textContent: view.submit.text,
      }),
    );
  modal.onsubmit = async (ev) => {
    ev.preventDefault();
    content.querySelectorAll('.error').forEach((x) => {
      x.textContent = '';
    });
    const out = await api('submit', { viewId: view.id, values: collectValues(content) });
    if (out.errors) {
      for (const [blockId, message] of Object.entries(out.errors)) {
        const target = content.querySelector(`.input-block[data-block-id="${CSS.escape(blockId)}"] .error`);
        if (target) target.textContent = message;
      }
      return;
    }
    ui.viewKey = '';
    void refresh();
  };
  modal.append(content, footer);
  backdrop.replaceChildren(modal);
  backdrop.hidden = false;
}

function switchChannel(id) {
  ui.channel = id;
  localStorage.setItem('pg-channel', id);
  ui.scrollNext = true;
  render();
}

$('user').onchange = (e) => {
  ui.user = e.target.value;
  localStorage.setItem('pg-user', ui.user);
  ui.viewKey = '';
  void refresh();
};

$('composer').onsubmit = async (e) => {
  e.preventDefault();
  const input = $('input');
  const text = input.value.trim();
  if (!text) return;
  if (!text.startsWith('/ops')) {
    $('connection').textContent = 'only /ops commands reach the bot here';
    return;
  }
  ui.history.push(text);
  ui.historyAt = ui.history.length;
  input.value = '';
  ui.scrollNext = true;
  const out = await api('command', { channel: ui.channel, text });
  if (!out.ok) $('connection').textContent = `the bot answered HTTP ${out.status ?? '?'} ${out.error ?? ''}`;
  void refresh();
};

$('input').onkeydown = (e) => {
  if (e.key === 'ArrowUp' && ui.historyAt > 0) {
    ui.historyAt -= 1;
    e.target.value = ui.history[ui.historyAt];
    e.preventDefault();
  }
  if (e.key === 'ArrowDown' && ui.historyAt < ui.history.length) {
    ui.historyAt += 1;
    e.target.value = ui.history[ui.historyAt] ?? '';
    e.preventDefault();
  }
};

// Updates are pushed (Server-Sent Events); a slow poll covers a dropped stream.
function connect() {
  const events = new EventSource('/playground/api/events');
  events.onopen = () => {
    $('connection').textContent = 'live';
  };
  events.onmessage = () => void refresh();
  events.onerror = () => {
    $('connection').textContent = 'reconnecting…';
  };
}
connect();
setInterval(() => void refresh(), 5000);
void refresh();
