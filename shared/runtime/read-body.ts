import type { IncomingMessage } from 'node:http';
import { AppError } from '../errors/app-error';

/** Default request body limit (100 KB): enough for any command of this API, far below functions-framework's 1 GB. */
export const DEFAULT_BODY_LIMIT_BYTES = 100 * 1024;

const JSON_TYPES = /^application\/(?:[\w.+-]+\+)?json\b/i;

/** The body as the handler sees it: parsed JSON, raw bytes for other types, undefined when there is none. */
export interface ReadBody {
  readonly raw: Buffer;
  readonly parsed: unknown;
}

/**
 * Reads the whole request body, refusing more than `limit` bytes (413, also for a chunked body that announces no
 * length), and parses JSON (`application/json`, `application/cloudevents+json`, any `+json`) with a 400 for
 * malformed JSON.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<ReadBody> {
  const tooLarge = () =>
    new AppError('too-large', 'REQUEST.TOO_LARGE', `The request body is larger than ${limit} bytes.`);
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge();

  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks);
  if (raw.length === 0) return { raw, parsed: undefined };
  if (!JSON_TYPES.test(req.headers['content-type'] ?? '')) return { raw, parsed: raw };
  try {
    return { raw, parsed: JSON.parse(raw.toString('utf8')) as unknown };
  } catch {
    throw new AppError('invalid', 'REQUEST.MALFORMED_JSON', 'The request body is not valid JSON.');
  }
}
