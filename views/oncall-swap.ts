import type { Reply } from '../src/core/reply.js';
import type { SwapRequest } from '../src/store/oncall-swaps.js';
import { actions, button, context, section } from './blocks.js';

export const SWAP_ACCEPT = 'oncall.swap.accept';
export const SWAP_DECLINE = 'oncall.swap.decline';

export type FormatTime = (d: Date) => string;

function shifts(s: SwapRequest, fmt: FormatTime): string {
  return (
    `• <@${s.otherId}> covers <@${s.requesterId}>'s shift ${fmt(s.give.start)} → ${fmt(s.give.end)}\n` +
    `• <@${s.requesterId}> covers <@${s.otherId}>'s shift ${fmt(s.take.start)} → ${fmt(s.take.end)}`
  );
}

/** The DM to the other person, with Accept / Decline. */
export function renderSwapRequest(s: SwapRequest, fmt: FormatTime): Reply {
  return {
    text: `${s.requesterId} asks to swap on-call shifts with you`,
    blocks: [
      section(
        `:repeat: <@${s.requesterId}> asks to swap *${s.schedule} / ${s.layer}* shifts with you:\n${shifts(s, fmt)}`,
      ),
      context(`Swap request ${s.id}; it expires ${fmt(s.expiresAt)}.`),
      actions(
        `oncall.swap.${s.id}`,
        button('Accept', SWAP_ACCEPT, s.id, 'primary'),
        button('Decline', SWAP_DECLINE, s.id, 'danger'),
      ),
    ],
  };
}

export function renderSwapRequested(s: SwapRequest, fmt: FormatTime): Reply {
  return {
    text: `Swap request ${s.id} sent to ${s.otherId}`,
    tone: 'info',
    blocks: [
      section(
        `:repeat: Asked <@${s.otherId}> to swap *${s.schedule} / ${s.layer}* shifts (request ${s.id}):\n${shifts(s, fmt)}`,
      ),
      context('Nothing changes until they press Accept; the request expires in 48 hours.'),
    ],
  };
}

export function renderSwapDecided(s: SwapRequest, outcome: 'accepted' | 'declined', fmt: FormatTime): Reply {
  const icon = outcome === 'accepted' ? ':white_check_mark:' : ':x:';
  return {
    text: `Swap request ${s.id} ${outcome}`,
    tone: outcome === 'accepted' ? 'ok' : 'muted',
    blocks: [
      section(
        `${icon} <@${s.otherId}> ${outcome} swap request ${s.id} (*${s.schedule} / ${s.layer}*):\n${shifts(s, fmt)}`,
      ),
    ],
  };
}
