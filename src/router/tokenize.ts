import { parseArgsStringToArgv } from 'string-argv';

/**
 * Splits "/ops" text into words, honouring quotes. Slack clients turn straight
 * quotes into typographic ones and escape &, < and >, so both are undone first.
 */
export function tokenize(text: string): string[] {
  const normalised = text
    .replace(/[\u201C\u201D\u201E\u00AB\u00BB]/g, '"')
    .replace(/[\u2018\u2019\u201A]/g, "'")
    .replace(/\u00A0/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
  if (!normalised) return [];
  return parseArgsStringToArgv(normalised);
}
