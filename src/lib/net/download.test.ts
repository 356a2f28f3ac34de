import { describe, expect, it } from 'vitest';
import { IncompleteDownloadError, readBody, readBodyText } from './download.ts';
import type { TransferStatus } from './transfer-rate.ts';

/** A response whose body arrives in the given chunks, then ends or fails. */
function streamed(chunks: string[], opts: { headers?: Record<string, string>; failAfter?: boolean } = {}): Response {
  const enc = new TextEncoder();
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(ctl) {
      const c = chunks[i++];
      if (c !== undefined) ctl.enqueue(enc.encode(c));
      else if (opts.failAfter) ctl.error(new TypeError('network error'));
      else ctl.close();
    },
  });
  return new Response(body, { headers: opts.headers ?? {} });
}

describe('readBody', () => {
  it('joins the chunks and reports bytes against the expected size', async () => {
    const seen: TransferStatus[] = [];
    const text = await readBodyText(streamed(['{"a":', ' "é"', '}']), { expectedBytes: 11, onProgress: (s) => seen.push(s) });
    expect(text).toBe('{"a": "é"}');
    expect(seen.map((s) => s.loaded)).toEqual([5, 10, 11, 11]);
    expect(seen.at(-1)).toMatchObject({ loaded: 11, total: 11 });
  });

  it('names a body cut off mid-way, and one shorter or longer than expected', async () => {
    const cut = await readBody(streamed(['abc', 'def'], { failAfter: true }), { expectedBytes: 10 }).catch((e: unknown) => e);
    expect(cut).toBeInstanceOf(IncompleteDownloadError);
    expect(String(cut)).toBe('IncompleteDownloadError: the download broke off after 6 bytes of 10: network error');
    await expect(readBody(streamed(['abc']), { expectedBytes: 4 })).rejects.toThrow('only 3 bytes of 4 arrived');
    await expect(readBody(streamed(['abc', 'de']), { expectedBytes: 4 })).rejects.toThrow('more than the expected 4 bytes arrived');
  });

  it('takes Content-Length as the total only while the body has not passed it (a compressed transfer counts fewer)', async () => {
    const seen: TransferStatus[] = [];
    const bytes = await readBody(streamed(['abcd', 'efgh'], { headers: { 'content-length': '6' } }), { onProgress: (s) => seen.push(s) });
    expect(bytes.byteLength).toBe(8);
    expect(seen[0]).toMatchObject({ loaded: 4, total: 6 });
    const plain = await readBody(streamed(['abcd', 'ef'], { headers: { 'content-length': '6' } }), { onProgress: (s) => seen.push(s) });
    expect(plain.byteLength).toBe(6);
    expect(seen.at(-1)).toMatchObject({ loaded: 6, total: 6 });
  });
});
