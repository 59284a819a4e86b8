import type { Readable } from 'node:stream';

/** What reading a body under a limit ended with. */
export type BoundedBody =
  | { readonly kind: 'complete'; readonly body: Buffer }
  | { readonly kind: 'too-large' }
  | { readonly kind: 'aborted' };

/**
 * Reads a request body of unknown length (chunked) as long as it stays within `limit` bytes. It stops at the
 * first byte over the limit, so an oversized body is never held whole, and nothing of it has gone anywhere yet:
 * the caller decides between proxying the buffered body and refusing it (nginx buffers a body the same way
 * before Kong's request-size-limiting looks at it).
 */
export function readBodyUpTo(req: Readable, limit: number): Promise<BoundedBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BoundedBody) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish({ kind: 'too-large' });
      else chunks.push(chunk);
    };
    const onEnd = () => {
      finish({ kind: 'complete', body: Buffer.concat(chunks, size) });
    };
    // 'close' before 'end' means the client went away mid-body.
    const onClose = () => {
      finish({ kind: 'aborted' });
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
  });
}
