/** The one place that sends requests: base URL, JSON, the API key header, abort signals and error mapping. */
import type { z } from 'zod';
import { OrchestraError } from './errors.js';

/** Options every call accepts. */
export interface CallOptions {
  /** Aborts the request (and, for waiting calls, the wait). */
  signal?: AbortSignal;
}

export class Http {
  readonly baseUrl: string;
  private readonly apiKey: string | undefined;

  constructor(baseUrl: string, apiKey: string | undefined) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.apiKey = apiKey;
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', ...extra };
    if (this.apiKey !== undefined && this.apiKey !== '') {
      headers['X-API-Key'] = this.apiKey;
    }
    return headers;
  }

  /** Sends a request and returns the raw response when it is 2xx; otherwise rejects with an OrchestraError. */
  async send(
    path: string,
    init: RequestInit & CallOptions = {},
    extra: Record<string, string> = {},
  ): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, { ...init, headers: { ...this.headers(extra) } });
    } catch (cause) {
      if (init.signal?.aborted) {
        throw init.signal.reason instanceof Error ? init.signal.reason : new OrchestraError('Request aborted', 0, null, { cause });
      }
      throw new OrchestraError(
        `Orchestration service request failed: 0 ${cause instanceof Error ? cause.message : String(cause)}`,
        0,
        null,
        { cause },
      );
    }
    if (!response.ok) {
      throw OrchestraError.fromResponse(response.status, await response.text());
    }
    return response;
  }

  /** Sends a request and parses its JSON body with `schema`. */
  async json<S extends z.ZodType>(schema: S, path: string, init: RequestInit & CallOptions = {}): Promise<z.infer<S>> {
    const response = await this.send(path, init);
    return schema.parse(await response.json());
  }

  /** Sends a request and returns its body as text (NDJSON, Mermaid). */
  async text(path: string, init: RequestInit & CallOptions = {}): Promise<string> {
    return (await this.send(path, init)).text();
  }
}

/** Encodes one path segment (workflow, session and pipeline ids are user-chosen). */
export function seg(value: string): string {
  return encodeURIComponent(value);
}

/** Resolves after `ms`, or rejects when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
