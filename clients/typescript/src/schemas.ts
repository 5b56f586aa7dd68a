/**
 * Wire types of the run-graph API: the AI Orchestra request and status shapes, as zod schemas plus the enums the
 * seed exported. The names and the required/optional/default rules match AI Orchestra's bridge, so seed code that
 * imports them keeps compiling.
 */
import { z } from 'zod';

/** How the tasks of a workflow are scheduled. */
export enum WorkflowType {
  SEQUENTIAL = 'sequential',
  PARALLEL = 'parallel',
  GRAPH = 'graph',
}

/** The status of one task of a workflow. */
export enum TaskStatus {
  PENDING = 'pending',
  RUNNING = 'running',
  COMPLETED = 'completed',
  FAILED = 'failed',
}

/** The status of a whole workflow; `partial` means some tasks failed and some completed. */
export enum WorkflowStatus {
  PENDING = 'pending',
  RUNNING = 'running',
  COMPLETED = 'completed',
  FAILED = 'failed',
  PARTIAL = 'partial',
}

const jsonObject = z.record(z.string(), z.any());

/** One task of a workflow request; `depends_on` names other tasks' `agent_id` (graph workflows only). */
export const AgentTaskSchema = z.object({
  agent_id: z.string(),
  agent_role: z.string(),
  input_data: jsonObject,
  depends_on: z.array(z.string()).default([]),
});
export type AgentTask = z.infer<typeof AgentTaskSchema>;

/** The body of `POST /run-graph`; the server picks a `workflow_id` when none is given. */
export const WorkflowRequestSchema = z.object({
  workflow_id: z.string().optional(),
  workflow_type: z.enum(WorkflowType),
  tasks: z.array(AgentTaskSchema),
  metadata: jsonObject.default({}),
});
export type WorkflowRequest = z.infer<typeof WorkflowRequestSchema>;
/** What callers may pass where a request is expected: defaults (`depends_on`, `metadata`) may be left out. */
export type WorkflowRequestInput = z.input<typeof WorkflowRequestSchema>;

/** The status of one task as the server reports it; every key is present, unknown values are `null`. */
export const TaskStatusResponseSchema = z.object({
  task_id: z.string(),
  agent_id: z.string(),
  agent_role: z.string(),
  status: z.enum(TaskStatus),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  result: jsonObject.nullable(),
  error: z.string().nullable(),
});
export type TaskStatusResponse = z.infer<typeof TaskStatusResponseSchema>;

/** The status of a workflow with all its tasks, as returned by `POST /run-graph` and `GET /status/{id}`. */
export const WorkflowStatusResponseSchema = z.object({
  workflow_id: z.string(),
  workflow_type: z.string(),
  status: z.enum(WorkflowStatus),
  created_at: z.string(),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  tasks: z.array(TaskStatusResponseSchema),
  metadata: jsonObject,
});
export type WorkflowStatusResponse = z.infer<typeof WorkflowStatusResponseSchema>;

/** The body of `GET /health`. The Orchestra4j server may add fields (e.g. `pipelines_count`); they are kept. */
export const HealthCheckSchema = z.looseObject({
  status: z.string(),
  active_workflows: z.number(),
  timestamp: z.string(),
});
export type HealthCheck = z.infer<typeof HealthCheckSchema>;

/** True when a workflow can no longer change. */
export function isFinished(status: WorkflowStatus): boolean {
  return (
    status === WorkflowStatus.COMPLETED || status === WorkflowStatus.FAILED || status === WorkflowStatus.PARTIAL
  );
}
