// Block Kit rendered to DOM (mrkdwn and text objects: mrkdwn.js), close enough to Slack to judge a reply.
// `on.action(action, element)` is called for interactive elements.
import { esc, textObject } from './mrkdwn.js';

function el(tag, cls, html) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (html !== undefined) e.innerHTML = html;
  return e;
}

/** One interactive element (button, overflow, select, checkboxes…) inside a message or a modal. */
export function element(elem, blockId, ctx) {
  const fire = (action) => ctx.on.action({ actionId: elem.action_id, blockId, type: elem.type, ...action }, elem);
  switch (elem.type) {
    case 'button': {
      const b = el('button', elem.style ?? '', textObject(elem.text, ctx.people));
      b.type = 'button';
      b.dataset.actionId = elem.action_id ?? '';
      b.onclick = () => {
        if (elem.url) window.open(elem.url, '_blank');
        if (
          elem.confirm &&
          !window.confirm(`${elem.confirm.title?.text ?? 'Are you sure?'}\n\n${elem.confirm.text?.text ?? ''}`)
        )
          return;
        fire({ value: elem.value, text: elem.text?.text });
      };
      return b;
    }
    case 'overflow': {
      const wrap = el('span', 'overflow');
      const b = el('button', '', '⋯');
      b.type = 'button';
      b.setAttribute('aria-label', 'More actions');
      const menu = el('div', 'overflow-menu');
      menu.hidden = true;
      for (const o of elem.options ?? []) {
        const item = el('div', '', textObject(o.text, ctx.people));
        item.onclick = () => {
          menu.hidden = true;
          fire({ selectedOption: o });
        };
        menu.append(item);
      }
      b.onclick = () => {
        menu.hidden = !menu.hidden;
      };
      wrap.append(b, menu);
      return wrap;
    }
    case 'static_select':
    case 'users_select':
    case 'conversations_select':
    case 'channels_select':
    case 'external_select':
    case 'multi_static_select': {
      const s = el('select');
      s.multiple = elem.type === 'multi_static_select';
      const options =
        elem.type === 'users_select'
          ? ctx.people.map((p) => ({ text: { type: 'plain_text', text: p.realName }, value: p.id }))
          : elem.type.includes('channel') || elem.type.includes('conversation')
            ? ctx.channels.map((c) => ({ text: { type: 'plain_text', text: '#' + c.name }, value: c.id }))
            : (elem.options ?? (elem.option_groups ?? []).flatMap((g) => g.options));
      if (!s.multiple) s.append(new Option(elem.placeholder?.text ?? 'Choose…', ''));
      for (const o of options) s.append(new Option(o.text.text, o.value));
      const initial =
        elem.initial_option?.value ?? elem.initial_user ?? elem.initial_conversation ?? elem.initial_channel;
      if (initial) s.value = initial;
      for (const o of elem.initial_options ?? [])
        [...s.options].find((x) => x.value === o.value)?.setAttribute('selected', '');
      s.dataset.blockId = blockId;
      s.dataset.actionId = elem.action_id;
      s.dataset.type = elem.type;
      s._options = options;
      if (!ctx.inModal) s.onchange = () => fire({ selectedOption: options.find((o) => o.value === s.value) });
      return s;
    }
    case 'checkboxes':
    case 'radio_buttons': {
      const wrap = el('div');
      wrap.dataset.blockId = blockId;
      wrap.dataset.actionId = elem.action_id;
      wrap.dataset.type = elem.type;
      wrap._options = elem.options ?? [];
      const initial = new Set(
        [...(elem.initial_options ?? []), ...(elem.initial_option ? [elem.initial_option] : [])].map((o) => o.value),
      );
      for (const o of elem.options ?? []) {
        const label = el('label', 'checkbox');
        const box = document.createElement('input');
        box.type = elem.type === 'checkboxes' ? 'checkbox' : 'radio';
        box.name = `${blockId}/${elem.action_id}`;
        box.value = o.value;
        box.checked = initial.has(o.value);
        if (!ctx.inModal)
          box.onchange = () =>
            fire({
              selectedOptions: (elem.options ?? []).filter(
                (x) => wrap.querySelector(`input[value="${CSS.escape(x.value)}"]`).checked,
              ),
              selectedOption: o,
            });
        label.append(
          box,
          el(
            'span',
            '',
            ' ' +
              textObject(o.text, ctx.people) +
              (o.description ? ` <small>${textObject(o.description, ctx.people)}</small>` : ''),
          ),
        );
        wrap.append(label);
      }
      return wrap;
    }
    case 'plain_text_input': {
      const input = elem.multiline ? el('textarea') : el('input');
      if (!elem.multiline) input.type = 'text';
      input.placeholder = elem.placeholder?.text ?? '';
      input.value = elem.initial_value ?? '';
      Object.assign(input.dataset, { blockId, actionId: elem.action_id, type: elem.type });
      return input;
    }
    case 'datepicker': {
      const input = el('input');
      input.type = 'date';
      input.value = elem.initial_date ?? '';
      Object.assign(input.dataset, { blockId, actionId: elem.action_id, type: elem.type });
      return input;
    }
    case 'image': {
      const img = el('img');
      img.src = elem.image_url;
      img.alt = elem.alt_text ?? '';
      img.style.maxWidth = '64px';
      return img;
    }
    default:
      return el('span', 'text unsupported', `<i>[${esc(elem.type)}: not supported]</i>`);
  }
}

/** The text of a table cell: raw_text, or the text runs of a rich_text cell (bold kept). */
function tableCell(c) {
  if (c?.type === 'raw_text') return esc(c.text ?? '');
  return (c?.elements ?? [])
    .map((s) =>
      (s.elements ?? [])
        .map((e) => (e.style?.bold ? `<b>${esc(e.text ?? '')}</b>` : esc(e.text ?? e.url ?? '')))
        .join(''),
    )
    .join(' ');
}

/** A table block as an HTML table: the first row is the header, column_settings give alignment and wrapping. */
function tableBlock(b) {
  const table = el('table', 'block table');
  const settings = b.column_settings ?? [];
  (b.rows ?? []).forEach((row, r) => {
    const tr = el('tr');
    row.forEach((c, i) => {
      const td = el(r === 0 ? 'th' : 'td', '', tableCell(c));
      td.style.textAlign = settings[i]?.align ?? 'left';
      if (settings[i]?.is_wrapped) td.classList.add('wrapped');
      tr.append(td);
    });
    table.append(tr);
  });
  return table;
}

/** A list of blocks → DOM. */
export function renderBlocks(blocks, ctx) {
  const frag = document.createDocumentFragment();
  (blocks ?? []).forEach((b, i) => {
    const blockId = b.block_id ?? `b${i}`;
    switch (b.type) {
      case 'header':
        frag.append(el('div', 'block header', textObject(b.text, ctx.people)));
        break;
      case 'divider':
        frag.append(el('hr', 'block divider'));
        break;
      case 'context': {
        const c = el('div', 'block context');
        for (const e of b.elements ?? [])
          c.append(
            e.type === 'image'
              ? Object.assign(el('img'), { src: e.image_url, alt: e.alt_text ?? '' })
              : el('span', '', textObject(e, ctx.people)),
          );
        frag.append(c);
        break;
      }
      case 'image': {
        const wrap = el('div', 'block');
        if (b.title) wrap.append(el('div', 'image-title', textObject(b.title, ctx.people)));
        wrap.append(
          Object.assign(el('img', 'image'), { src: b.image_url ?? b.slack_file?.url, alt: b.alt_text ?? '' }),
        );
        frag.append(wrap);
        break;
      }
      case 'section': {
        const s = el('div', 'block section');
        const main = el('div', 'main');
        if (b.text) main.append(el('div', 'text', textObject(b.text, ctx.people)));
        if (b.fields?.length) {
          const f = el('div', 'fields');
          for (const field of b.fields) f.append(el('div', 'text', textObject(field, ctx.people)));
          main.append(f);
        }
        s.append(main);
        if (b.accessory) s.append(element(b.accessory, blockId, ctx));
        frag.append(s);
        break;
      }
      case 'actions': {
        const a = el('div', 'block actions');
        for (const e of b.elements ?? []) a.append(element(e, blockId, ctx));
        frag.append(a);
        break;
      }
      case 'input': {
        const wrap = el('div', 'input-block');
        wrap.dataset.blockId = blockId;
        wrap.append(
          el('label', '', textObject(b.label, ctx.people) + (b.optional ? ' <small>(optional)</small>' : '')),
        );
        wrap.append(element(b.element, blockId, ctx));
        if (b.hint) wrap.append(el('div', 'hint', textObject(b.hint, ctx.people)));
        wrap.append(el('div', 'error'));
        frag.append(wrap);
        break;
      }
      case 'rich_text':
        frag.append(
          el('div', 'block text', esc(JSON.stringify(b.elements?.map((e) => e.elements?.map((x) => x.text).join(''))))),
        );
        break;
      case 'table':
        frag.append(tableBlock(b, ctx));
        break;
      default:
        frag.append(el('div', 'block text unsupported', `<i>[${esc(b.type)} block: not supported]</i>`));
    }
  });
  return frag;
}

/** The state.values Slack sends for a modal's inputs. */
export function collectValues(root) {
  const values = {};
  for (const node of root.querySelectorAll('[data-action-id][data-type]')) {
    const { blockId, actionId, type } = node.dataset;
    let v;
    if (type === 'plain_text_input') v = { type, value: node.value };
    else if (type === 'datepicker') v = { type, selected_date: node.value || null };
    else if (type === 'users_select') v = { type, selected_user: node.value || null };
    else if (type === 'conversations_select') v = { type, selected_conversation: node.value || null };
    else if (type === 'channels_select') v = { type, selected_channel: node.value || null };
    else if (type === 'multi_static_select')
      v = {
        type,
        selected_options: node._options.filter((o) => [...node.selectedOptions].some((s) => s.value === o.value)),
      };
    else if (type === 'checkboxes')
      v = {
        type,
        selected_options: node._options.filter(
          (o) => node.querySelector(`input[value="${CSS.escape(o.value)}"]`).checked,
        ),
      };
    else if (type === 'radio_buttons')
      v = {
        type,
        selected_option:
          node._options.find((o) => node.querySelector(`input[value="${CSS.escape(o.value)}"]`).checked) ?? null,
      };
    else if (node._options) v = { type, selected_option: node._options.find((o) => o.value === node.value) ?? null };
    else continue;
    (values[blockId] ??= {})[actionId] = v;
  }
  return values;
}
