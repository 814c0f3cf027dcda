import { z } from 'zod';

// Identifier shapes ops.yml uses in several sections, each refusing with what a valid one looks like.

export const slackChannelId = z.string().regex(/^[CGD][A-Z0-9]{2,}$/, 'expected a Slack channel id such as C0123ABCD');
export const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'expected a Slack user id such as U0123ABCD');
export const slackUsergroupId = z.string().regex(/^S[A-Z0-9]{2,}$/, 'expected a Slack user group id such as S0123ABCD');
export const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });
export const severity = z.enum(['P0', 'P1', 'P2', 'P3', 'P4']);
