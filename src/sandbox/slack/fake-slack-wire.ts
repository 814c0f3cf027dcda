// How the fake Slack reads a Web API request and writes its answer: form or JSON bodies (nested values
// JSON-decoded as Slack clients encode them), multipart file uploads, JSON answers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Args } from './fake-slack-state.js';

// Form values that are free text must never be JSON-decoded, even if they start with "[".
const TEXT_KEYS = new Set([
  'text',
  'topic',
  'purpose',
  'name',
  'title',
  'initial_comment',
  'alt_text',
  'query',
  'fallback',
  'markdown_text',
]);

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export function formArgs(params: URLSearchParams): Args {
  const out: Args = {};
  for (const [k, v] of params) {
    out[k] = v;
    // Slack clients JSON-encode nested values (blocks, attachments, view, files...) in form bodies.
    if (!TEXT_KEYS.has(k) && /^\s*[[{]/.test(v)) {
      try {
        out[k] = JSON.parse(v);
      } catch {
        /* not JSON after all */
      }
    }
  }
  return out;
}

export function parseArgs(raw: Buffer, contentType = ''): Args {
  if (raw.length === 0) return {};
  const text = raw.toString('utf8');
  if (contentType.includes('application/json')) {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? (parsed as Args) : {};
  }
  return formArgs(new URLSearchParams(text));
}

/** web-api 8 sends the upload as multipart with the bytes in field `body`; accept raw bodies too. */
export async function uploadedBytes(raw: Buffer, contentType = ''): Promise<Buffer> {
  if (!contentType.startsWith('multipart/form-data')) return raw;
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  const part = form.get('body') ?? [...form.values()].find((v) => typeof v !== 'string');
  if (part === null || part === undefined) return Buffer.alloc(0);
  return typeof part === 'string' ? Buffer.from(part) : Buffer.from(await part.arrayBuffer());
}
