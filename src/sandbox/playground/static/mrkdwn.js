// Slack mrkdwn and text objects rendered to HTML for the playground (blocks.js renders the blocks around them).

const EMOJI = {
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  x: '❌',
  warning: '⚠️',
  red_circle: '🔴',
  large_green_circle: '🟢',
  large_yellow_circle: '🟡',
  large_orange_circle: '🟠',
  large_blue_circle: '🔵',
  white_circle: '⚪',
  black_circle: '⚫',
  rotating_light: '🚨',
  hourglass_flowing_sand: '⏳',
  hourglass: '⌛',
  arrows_counterclockwise: '🔄',
  rocket: '🚀',
  lock: '🔒',
  bell: '🔔',
  no_bell: '🔕',
  eyes: '👀',
  fire: '🔥',
  fire_engine: '🚒',
  information_source: 'ℹ️',
  zap: '⚡',
  bar_chart: '📊',
  chart_with_upwards_trend: '📈',
  floppy_disk: '💾',
  wrench: '🔧',
  grey_question: '❔',
  stopwatch: '⏱️',
  clipboard: '📋',
  memo: '📝',
  mag: '🔍',
  package: '📦',
  leftwards_arrow_with_hook: '↩️',
  hammer_and_wrench: '🛠️',
  pushpin: '📌',
  speech_balloon: '💬',
  bust_in_silhouette: '👤',
  busts_in_silhouette: '👥',
  calendar: '📅',
  arrow_right: '➡️',
  arrow_up: '⬆️',
  arrow_down: '⬇️',
  arrow_forward: '▶️',
  fast_forward: '⏩',
  octagonal_sign: '🛑',
  shield: '🛡️',
  gear: '⚙️',
  alarm_clock: '⏰',
  outbox: '📤',
  no_entry_sign: '🚫',
  no_entry: '⛔',
  raised_hand: '✋',
  broom: '🧹',
  adhesive_bandage: '🩹',
  scroll: '📜',
  scissors: '✂️',
  pencil2: '✏️',
  snail: '🐌',
  ocean: '🌊',
  mute: '🔇',
  mega: '📣',
  left_right_arrow: '↔️',
  keyboard: '⌨️',
  tada: '🎉',
  thumbsup: '👍',
  '+1': '👍',
  point_right: '👉',
  bulb: '💡',
  skull: '💀',
  sos: '🆘',
  hospital: '🏥',
  construction: '🚧',
  checkered_flag: '🏁',
  aws: '☁️',
  elasticbeanstalk: '🌱',
  autoscaling: '📐',
  snapshot: '📸',
  jobs: '🧰',
  usergroup: '👥',
  regclass: '🗂️',
};

export const esc = (s) =>
  String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

// Slack escapes &, < and > in message text as entities; a raw < only opens a link or mention.
const unentity = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Slack mrkdwn → HTML (escaped first; links, mentions, code, bold, italic, strike, quotes, emoji). */
export function mrkdwn(text, people = []) {
  const parts = String(text ?? '').split(/(```[\s\S]*?```)/g);
  return parts
    .map((part) => {
      if (part.startsWith('```') && part.endsWith('```') && part.length >= 6)
        return `<pre>${esc(unentity(part.slice(3, -3).replace(/^\n/, '')))}</pre>`;
      const codes = [];
      let s = part.replace(/`([^`\n]+)`/g, (_, c) => `\u0000${codes.push(unentity(c)) - 1}\u0000`);
      s = esc(s);
      s = s.replace(
        /&lt;(https?:[^|&]+?)(?:\|([^&]+?))?&gt;/g,
        (_, url, label) => `<a href="${url}" target="_blank" rel="noopener">${label ?? url}</a>`,
      );
      s = s.replace(
        /&lt;@([UW][A-Z0-9]+)(?:\|[^&]*)?&gt;/g,
        (_, id) => `<span class="mention">@${esc(people.find((p) => p.id === id)?.name ?? id)}</span>`,
      );
      s = s.replace(
        /&lt;#([CG][A-Z0-9]+)(?:\|([^&]*))?&gt;/g,
        (_, id, name) => `<span class="mention">#${esc(name ?? id)}</span>`,
      );
      s = s.replace(/&lt;!(here|channel|everyone)&gt;/g, '<span class="mention">@$1</span>');
      s = s.replace(
        /&lt;!subteam\^([A-Z0-9]+)(?:\|([^&]*))?&gt;/g,
        (_, id, name) => `<span class="mention">${esc(name ?? '@' + id)}</span>`,
      );
      s = s.replace(/&lt;!date\^(\d+)\^[^|]*\|([^&]*)&gt;/g, (_, ts) => new Date(Number(ts) * 1000).toLocaleString());
      s = s.replace(/(^|[\s(])\*([^*\n]+)\*(?=[\s).,:;!?]|$)/g, '$1<b>$2</b>');
      s = s.replace(/(^|[\s(])_([^_\n]+)_(?=[\s).,:;!?]|$)/g, '$1<i>$2</i>');
      s = s.replace(/(^|[\s(])~([^~\n]+)~(?=[\s).,:;!?]|$)/g, '$1<s>$2</s>');
      s = s.replace(/^&gt; ?(.*)$/gm, '<blockquote>$1</blockquote>');
      s = s.replace(/:([a-z0-9_+-]+):/g, (m, name) => EMOJI[name] ?? m);
      s = s.replace(/&amp;(lt|gt|amp);/g, '&$1;');
      // NUL-delimited placeholders for code spans, put back after the other replacements.
      // eslint-disable-next-line no-control-regex
      s = s.replace(/\u0000(\d+)\u0000/g, (_, i) => `<code>${esc(codes[Number(i)])}</code>`);
      return s;
    })
    .join('');
}

export function textObject(t, people) {
  if (!t) return '';
  return t.type === 'mrkdwn'
    ? mrkdwn(t.text, people)
    : esc(t.text).replace(/:([a-z0-9_+-]+):/g, (m, n) => (t.emoji === false ? m : (EMOJI[n] ?? m)));
}
