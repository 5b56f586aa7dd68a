/**
 * The server's native session API: start a session of a registered topology, follow it, answer the questions its
 * agents ask, pause, resume or cancel it, and read its result, trace and diagrams.
 */
import { z } from 'zod';
import { Http, seg, sleep, type CallOptions } from './http.js';
import { watchStream, type WatchEvent, type WatchOptions } from './stream.js';

/** The state of a session as the server reports it; extra fields are kept. */
export const SessionStatusSchema = z.looseObject({
  session_id: z.string(),
  status: z.string(),
});
export type SessionStatus = z.infer<typeof SessionStatusSchema>;

/** What `start` sends: the topology to run, the task, and optional context and id. */
export interface StartSession {
  topology: string;
  task: unknown;
  context?: Record<string, unknown>;
  session_id?: string;
}

const FINISHED = new Set(['COMPLETED', 'FAILED', 'TIMED_OUT', 'CANCELLED']);

export class Sessions {
  constructor(
    private readonly http: Http,
    private readonly pollingInterval: number,
  ) {}

  /** Starts a session (`POST /api/sessions`, answered 202 at once); resolves with its id. */
  async start(request: StartSession, options: CallOptions = {}): Promise<string> {
    const body = await this.http.json(z.looseObject({ session_id: z.string() }), '/api/sessions', {
      method: 'POST',
      body: JSON.stringify(request),
      ...options,
    });
    return body.session_id;
  }

  /** Reads a session's status, including its pending questions. */
  async status(sessionId: string, options: CallOptions = {}): Promise<SessionStatus> {
    return this.http.json(SessionStatusSchema, `/api/sessions/${seg(sessionId)}`, { method: 'GET', ...options });
  }

  /** Lists sessions, optionally filtered by status. */
  async list(filter: { status?: string; limit?: number } = {}, options: CallOptions = {}): Promise<SessionStatus[]> {
    const params = new URLSearchParams();
    if (filter.status !== undefined) params.append('status', filter.status);
    if (filter.limit !== undefined) params.append('limit', String(filter.limit));
    const body = await this.http.json(z.unknown(), `/api/sessions?${params.toString()}`, { method: 'GET', ...options });
    const items = Array.isArray(body) ? body : z.looseObject({ sessions: z.array(z.unknown()) }).parse(body).sessions;
    return z.array(SessionStatusSchema).parse(items);
  }

  /** Answers a pending question of the session. */
  async answer(sessionId: string, interactionId: string | undefined, answer: string, options: CallOptions = {}): Promise<void> {
    await this.http.send(`/api/sessions/${seg(sessionId)}/answers`, {
      method: 'POST',
      body: JSON.stringify(interactionId === undefined ? { answer } : { interaction_id: interactionId, answer }),
      ...options,
    });
  }

  /** Pauses a running session at its next step boundary. */
  async pause(sessionId: string, options: CallOptions = {}): Promise<void> {
    await this.http.send(`/api/sessions/${seg(sessionId)}/pause`, { method: 'POST', body: '{}', ...options });
  }

  /** Resumes a paused session. */
  async resume(sessionId: string, options: CallOptions = {}): Promise<void> {
    await this.http.send(`/api/sessions/${seg(sessionId)}/resume`, { method: 'POST', body: '{}', ...options });
  }

  /** Cancels a session. */
  async cancel(sessionId: string, options: CallOptions = {}): Promise<void> {
    await this.http.send(`/api/sessions/${seg(sessionId)}/cancel`, { method: 'POST', body: '{}', ...options });
  }

  /** The session's full result (`OrchestraResult.toJson()`), once it has one. */
  async result(sessionId: string, options: CallOptions = {}): Promise<Record<string, unknown>> {
    return this.http.json(z.record(z.string(), z.unknown()), `/api/sessions/${seg(sessionId)}/result`, {
      method: 'GET',
      ...options,
    });
  }

  /** The session's execution trace as parsed NDJSON lines. */
  async trace(sessionId: string, options: CallOptions = {}): Promise<unknown[]> {
    const text = await this.http.text(`/api/sessions/${seg(sessionId)}/trace`, { method: 'GET', ...options });
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as unknown);
  }

  /** Follows the session's live events. */
  async watch(sessionId: string, onEvent: (event: WatchEvent) => boolean | void, options: WatchOptions = {}): Promise<void> {
    return watchStream(this.http, `/api/sessions/${seg(sessionId)}/events`, onEvent, options);
  }

  /** Polls until the session reaches `status` (or any finished state when none is given). */
  async waitFor(sessionId: string, status?: string, options: CallOptions = {}): Promise<SessionStatus> {
    for (;;) {
      const current = await this.status(sessionId, options);
      if (status === undefined ? FINISHED.has(current.status) : current.status === status) return current;
      if (status !== undefined && FINISHED.has(current.status)) {
        throw new Error(`Session ${sessionId} ended ${current.status} while waiting for ${status}`);
      }
      await sleep(this.pollingInterval, options.signal);
    }
  }
}
