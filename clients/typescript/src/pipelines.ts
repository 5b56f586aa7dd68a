/** Pipeline routes of the server, compatible with Symphony's Stage: list, describe and perform sealed pipelines. */
import { z } from 'zod';
import { Http, seg, type CallOptions } from './http.js';
import { watchStream, type WatchEvent, type WatchOptions } from './stream.js';

/** A pipeline as `GET /pipelines` describes it; extra server fields are kept. */
export const PipelineInfoSchema = z.looseObject({
  id: z.string(),
});
export type PipelineInfo = z.infer<typeof PipelineInfoSchema>;

/** The answer of a synchronous perform: `status` is `success` or `failed`; `result` holds the output. */
export const PerformResultSchema = z.looseObject({
  status: z.string(),
});
export type PerformResult = z.infer<typeof PerformResultSchema>;

/** Options of `perform`. */
export interface PerformOptions extends CallOptions {
  /** Add the per-step history (`?trace=true`). */
  trace?: boolean;
}

export class Pipelines {
  constructor(private readonly http: Http) {}

  /** Lists the registered pipelines (`GET /pipelines`). */
  async list(options: CallOptions = {}): Promise<PipelineInfo[]> {
    const body = await this.http.json(z.unknown(), '/pipelines', { method: 'GET', ...options });
    const items = Array.isArray(body) ? body : (z.looseObject({ pipelines: z.array(z.unknown()) }).parse(body).pipelines);
    return z.array(PipelineInfoSchema).parse(items);
  }

  /** Describes one pipeline (`GET /pipelines/{id}`); rejects with status 404 when it is unknown. */
  async get(pipelineId: string, options: CallOptions = {}): Promise<PipelineInfo> {
    return this.http.json(PipelineInfoSchema, `/pipelines/${seg(pipelineId)}`, { method: 'GET', ...options });
  }

  /** Runs a pipeline on `input` and resolves with its result (`POST /pipelines/{id}/perform`). */
  async perform(pipelineId: string, input: unknown, options: PerformOptions = {}): Promise<PerformResult> {
    const query = options.trace === true ? '?trace=true' : '';
    return this.http.json(PerformResultSchema, `/pipelines/${seg(pipelineId)}/perform${query}`, {
      method: 'POST',
      body: JSON.stringify({ input_data: input }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }

  /** Starts a pipeline run without waiting (`?async=true`); resolves with its run id. */
  async performAsync(pipelineId: string, input: unknown, options: CallOptions = {}): Promise<string> {
    const body = await this.http.json(
      z.looseObject({ run_id: z.string() }),
      `/pipelines/${seg(pipelineId)}/perform?async=true`,
      { method: 'POST', body: JSON.stringify({ input_data: input }), ...options },
    );
    return body.run_id;
  }

  /** Reads an asynchronous run (`GET /runs/{id}`). */
  async run(runId: string, options: CallOptions = {}): Promise<PerformResult> {
    return this.http.json(PerformResultSchema, `/runs/${seg(runId)}`, { method: 'GET', ...options });
  }

  /** Follows the live events of an asynchronous run (`GET /runs/{id}/events`). */
  async watchRun(runId: string, onEvent: (event: WatchEvent) => boolean | void, options: WatchOptions = {}): Promise<void> {
    return watchStream(this.http, `/runs/${seg(runId)}/events`, onEvent, options);
  }
}
