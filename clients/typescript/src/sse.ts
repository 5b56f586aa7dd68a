/**
 * A Server-Sent Events reader over `fetch` streaming (Node >= 20 needs no extra package). It parses the
 * `text/event-stream` format (event, data, id, retry, comments) and hands each event to a callback.
 */

/** One event of a stream. `data` is the joined `data:` lines; `id` is the last id seen (for `Last-Event-ID`). */
export interface ServerEvent {
  event: string;
  data: string;
  id: string | undefined;
}

/** Reads events from `body` until it ends or `signal` aborts; `onEvent` returning `false` stops reading. */
export async function readEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: ServerEvent) => boolean | void,
  signal?: AbortSignal,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let lastId: string | undefined;
  const onAbort = (): void => {
    void reader.cancel().catch(() => undefined);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (data.length > 0) {
            const keepGoing = onEvent({ event: event === '' ? 'message' : event, data: data.join('\n'), id: lastId });
            if (keepGoing === false) return;
          }
          event = '';
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue; // comment / heartbeat
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
        else if (field === 'id' && !value.includes('\0')) lastId = value;
      }
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    void reader.cancel().catch(() => undefined);
  }
}
