/**
 * `SwarmInterface`: the run-graph client. Its constructor, method names, parameters and error messages are AI
 * Orchestra's, so seed code only changes its import; on top it adds abort signals, live events, cancel-on-timeout,
 * pipelines and the native session API of the Orchestra4j server.
 */
import { z } from 'zod';
import { OrchestraError } from './errors.js';
import { Http, seg, sleep, type CallOptions } from './http.js';
import { Pipelines } from './pipelines.js';
import {
  HealthCheckSchema,
  WorkflowRequestSchema,
  WorkflowStatusResponseSchema,
  isFinished,
  type HealthCheck,
  type WorkflowRequestInput,
  type WorkflowStatus,
  type WorkflowStatusResponse,
} from './schemas.js';
import { Sessions } from './sessions.js';
import { readEvents } from './sse.js';
import { watchStream, type WatchEvent, type WatchOptions } from './stream.js';

export type { WatchEvent, WatchOptions } from './stream.js';

/** Options of `submitAndWait` beyond the seed's `(request, timeout, onProgress)`. */
export interface WaitOptions extends CallOptions {
  /** Send `DELETE /workflows/{id}` (which cancels the run) when the wait times out. Default false, as the seed. */
  cancelOnTimeout?: boolean;
  /** Follow the server's event stream instead of polling when it offers one. Default true. */
  useEvents?: boolean;
}

export class SwarmInterface {
  private readonly http: Http;
  private readonly pollingInterval: number;
  /** Symphony Stage pipeline routes. */
  readonly pipelines: Pipelines;
  /** The native session API: start sessions on registered topologies, answer questions, pause, resume, cancel. */
  readonly sessions: Sessions;

  constructor(baseUrl: string = 'http://localhost:8000', apiKey?: string, pollingInterval: number = 1000) {
    if (!Number.isFinite(pollingInterval) || pollingInterval <= 0) {
      throw new RangeError(`pollingInterval must be a positive number of milliseconds, was ${pollingInterval}`);
    }
    this.http = new Http(baseUrl, apiKey);
    this.pollingInterval = pollingInterval;
    this.pipelines = new Pipelines(this.http);
    this.sessions = new Sessions(this.http, pollingInterval);
  }

  /** Submits a workflow for execution (`POST /run-graph`); resolves with its initial status. */
  async submitWorkflow(request: WorkflowRequestInput, options: CallOptions = {}): Promise<WorkflowStatusResponse> {
    const body = WorkflowRequestSchema.parse(request);
    return this.http.json(WorkflowStatusResponseSchema, '/run-graph', {
      method: 'POST',
      body: JSON.stringify(body),
      ...options,
    });
  }

  /** Fetches the status of a workflow (`GET /status/{id}`). */
  async getWorkflowStatus(workflowId: string, options: CallOptions = {}): Promise<WorkflowStatusResponse> {
    return this.http.json(WorkflowStatusResponseSchema, `/status/${seg(workflowId)}`, { method: 'GET', ...options });
  }

  /** Lists workflows, newest first, optionally only those with `status` (`GET /workflows`). */
  async listWorkflows(
    status?: WorkflowStatus,
    limit: number = 100,
    options: CallOptions = {},
  ): Promise<WorkflowStatusResponse[]> {
    const params = new URLSearchParams();
    if (status !== undefined) params.append('status', status);
    params.append('limit', String(limit));
    return this.http.json(z.array(WorkflowStatusResponseSchema), `/workflows?${params.toString()}`, {
      method: 'GET',
      ...options,
    });
  }

  /** Deletes a workflow; the Orchestra4j server cancels it first when it is still running. */
  async deleteWorkflow(workflowId: string, options: CallOptions = {}): Promise<void> {
    await this.http.send(`/workflows/${seg(workflowId)}`, { method: 'DELETE', ...options });
  }

  /** Reads the server's health (`GET /health`). */
  async healthCheck(options: CallOptions = {}): Promise<HealthCheck> {
    return this.http.json(HealthCheckSchema, '/health', { method: 'GET', ...options });
  }

  /**
   * Submits a workflow and resolves with its final status (`completed`, `failed` or `partial`). `onProgress` sees the
   * status at least once and after every change (every poll when the server has no event stream). Rejects with
   * `Workflow <id> timed out after <timeout>ms` when it takes longer than `timeout`.
   */
  async submitAndWait(
    request: WorkflowRequestInput,
    timeout: number = 300000,
    onProgress?: (status: WorkflowStatusResponse) => void,
    options: WaitOptions = {},
  ): Promise<WorkflowStatusResponse> {
    const initial = await this.submitWorkflow(request, pick(options));
    return this.waitFor(initial.workflow_id, timeout, onProgress, options);
  }

  /** Waits for an already submitted workflow, like `submitAndWait`. */
  async waitFor(
    workflowId: string,
    timeout: number = 300000,
    onProgress?: (status: WorkflowStatusResponse) => void,
    options: WaitOptions = {},
  ): Promise<WorkflowStatusResponse> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new TimeoutMarker()), timeout);
    const signal = options.signal === undefined ? deadline.signal : AbortSignal.any([options.signal, deadline.signal]);
    try {
      if (options.useEvents !== false) {
        const viaEvents = await this.waitWithEvents(workflowId, onProgress, signal);
        if (viaEvents !== undefined) return viaEvents;
      }
      return await this.waitByPolling(workflowId, onProgress, signal);
    } catch (error) {
      if (deadline.signal.aborted && (options.signal === undefined || !options.signal.aborted)) {
        if (options.cancelOnTimeout === true) {
          await this.deleteWorkflow(workflowId).catch(() => undefined);
        }
        throw new Error(`Workflow ${workflowId} timed out after ${timeout}ms`);
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Follows the live events of a workflow (`GET /workflows/{id}/events`, Server-Sent Events) until the stream ends,
   * `onEvent` returns `false`, or `signal` aborts.
   */
  async watch(workflowId: string, onEvent: (event: WatchEvent) => boolean | void, options: WatchOptions = {}): Promise<void> {
    return watchStream(this.http, `/workflows/${seg(workflowId)}/events`, onEvent, options);
  }

  private async waitByPolling(
    workflowId: string,
    onProgress: ((status: WorkflowStatusResponse) => void) | undefined,
    signal: AbortSignal,
  ): Promise<WorkflowStatusResponse> {
    for (;;) {
      const status = await this.getWorkflowStatus(workflowId, { signal });
      onProgress?.(status);
      if (isFinished(status.status)) return status;
      await sleep(this.pollingInterval, signal);
    }
  }

  /** Resolves with the final status using the event stream, or with `undefined` when the server has none. */
  private async waitWithEvents(
    workflowId: string,
    onProgress: ((status: WorkflowStatusResponse) => void) | undefined,
    signal: AbortSignal,
  ): Promise<WorkflowStatusResponse | undefined> {
    let response: Response;
    try {
      response = await this.http.send(`/workflows/${seg(workflowId)}/events`, { method: 'GET', signal }, {
        Accept: 'text/event-stream',
      });
    } catch (error) {
      if (error instanceof OrchestraError && (error.status === 404 || error.status === 405 || error.status === 501)) {
        return undefined;
      }
      throw error;
    }
    if (response.body === null || !(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      await response.body?.cancel();
      return undefined;
    }
    let last: WorkflowStatusResponse | undefined;
    const report = async (): Promise<boolean> => {
      const status = await this.getWorkflowStatus(workflowId, { signal });
      if (last === undefined || JSON.stringify(last) !== JSON.stringify(status)) onProgress?.(status);
      last = status;
      return isFinished(status.status);
    };
    const events = new AbortController();
    const both = AbortSignal.any([signal, events.signal]);
    if (await report()) {
      events.abort();
      await response.body.cancel();
      return last;
    }
    let checking = Promise.resolve(false);
    await readEvents(
      response.body,
      () => {
        checking = checking.then(async (done) => done || (await report()));
        void checking.then((done) => {
          if (done) events.abort();
        }, () => events.abort());
        return true;
      },
      both,
    );
    if (signal.aborted) throw signal.reason;
    if (await checking) return last;
    // The stream ended before the workflow did (server restart, disconnect): finish by polling.
    return this.waitByPolling(workflowId, onProgress, signal);
  }
}

function pick(options: CallOptions): CallOptions {
  return options.signal === undefined ? {} : { signal: options.signal };
}

class TimeoutMarker extends Error {
  constructor() {
    super('timed out');
  }
}
