// The SSE reader on streams cut at awkward places: no server needed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readEvents, type ServerEvent } from '../src/sse.js';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(encoder.encode(c));
      controller.close();
    },
  });
}

test('events split across chunks, comments, multi-line data and ids', async () => {
  const seen: ServerEvent[] = [];
  await readEvents(
    streamOf([': heartbeat\n\nid: 1\nevent: ta', 'sk\ndata: {"a":', '1}\n\r\n', 'data: line1\ndata: line2\n\nid: 7\r\nevent: workflow\r\ndata: x\r\n\r\n']),
    (e) => {
      seen.push(e);
    },
  );
  assert.deepEqual(seen, [
    { event: 'task', data: '{"a":1}', id: '1' },
    { event: 'message', data: 'line1\nline2', id: '1' },
    { event: 'workflow', data: 'x', id: '7' },
  ]);
});

test('returning false stops reading', async () => {
  const seen: string[] = [];
  await readEvents(streamOf(['data: 1\n\ndata: 2\n\ndata: 3\n\n']), (e) => {
    seen.push(e.data);
    return e.data !== '2';
  });
  assert.deepEqual(seen, ['1', '2']);
});
