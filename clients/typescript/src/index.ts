/**
 * `@orchestra4j/client`: the TypeScript client of the Orchestra4j server. A drop-in for AI Orchestra's bridge
 * (`SwarmInterface`, `WorkflowBuilder`, `WorkflowPatterns`, the enums and zod schemas), plus live events, abort
 * signals, typed errors, pipelines and native sessions.
 */
export {
  AgentTaskSchema,
  HealthCheckSchema,
  TaskStatus,
  TaskStatusResponseSchema,
  WorkflowRequestSchema,
  WorkflowStatus,
  WorkflowStatusResponseSchema,
  WorkflowType,
  isFinished,
} from './schemas.js';
export type {
  AgentTask,
  HealthCheck,
  TaskStatusResponse,
  WorkflowRequest,
  WorkflowRequestInput,
  WorkflowStatusResponse,
} from './schemas.js';
export { OrchestraError } from './errors.js';
export type { CallOptions } from './http.js';
export { SwarmInterface } from './swarm.js';
export type { WaitOptions, WatchEvent, WatchOptions } from './swarm.js';
export { WorkflowBuilder, WorkflowPatterns } from './builder.js';
export { Pipelines, PipelineInfoSchema, PerformResultSchema } from './pipelines.js';
export type { PerformOptions, PerformResult, PipelineInfo } from './pipelines.js';
export { Sessions, SessionStatusSchema } from './sessions.js';
export type { SessionStatus, StartSession } from './sessions.js';
