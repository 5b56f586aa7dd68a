/** Following one Server-Sent Events endpoint of the server, with each event's JSON data parsed. */
import { Http, type CallOptions } from './http.js';
import { readEvents } from './sse.js';

/** One event of a live stream, with its JSON data parsed. */
export interface WatchEvent {
  /** The SSE event name, e.g. `task` or `workflow`. */
  event: string;
  /** The parsed JSON data (or the raw text when it is not JSON). */
  data: unknown;
  /** The event id, usable as `lastEventId` to resume without repeats. */
  id: string | undefined;
}

/** Options of `watch`. */
export interface WatchOptions extends CallOptions {
  /** Resume after this event id (sent as `Last-Event-ID`). */
  lastEventId?: string;
}

/** Follows one SSE endpoint, parsing JSON data; shared by workflows, sessions and the whole-server stream. */
export async function watchStream(
  http: Http,
  path: string,
  onEvent: (event: WatchEvent) => boolean | void,
  options: WatchOptions,
): Promise<void> {
  const init: RequestInit & CallOptions = { method: 'GET' };
  if (options.signal !== undefined) init.signal = options.signal;
  const headers: Record<string, string> = { Accept: 'text/event-stream' };
  if (options.lastEventId !== undefined) headers['Last-Event-ID'] = options.lastEventId;
  const response = await http.send(path, init, headers);
  if (response.body === null) return;
  await readEvents(
    response.body,
    (e) => onEvent({ event: e.event, data: parseJson(e.data), id: e.id }),
    options.signal,
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

