/** `WorkflowBuilder` and `WorkflowPatterns`: the fluent way to write a run-graph request, as in AI Orchestra. */
import type { SwarmInterface, WaitOptions } from './swarm.js';
import {
  WorkflowRequestSchema,
  WorkflowType,
  type AgentTask,
  type WorkflowRequest,
  type WorkflowStatusResponse,
} from './schemas.js';

/** Builds a workflow request task by task; `build()` validates it with the request schema. */
export class WorkflowBuilder {
  private readonly workflowType: WorkflowType;
  private readonly tasks: AgentTask[] = [];
  private readonly metadata: Record<string, unknown> = {};
  private workflowId: string | undefined;

  constructor(type: WorkflowType) {
    this.workflowType = type;
  }

  /** Chooses the workflow id (the server picks one otherwise). */
  setId(id: string): this {
    this.workflowId = id;
    return this;
  }

  /** Adds a task run by an agent of `agentRole`; `dependsOn` names other tasks' ids (graph workflows). */
  addTask(agentId: string, agentRole: string, inputData: Record<string, unknown>, dependsOn: string[] = []): this {
    this.tasks.push({ agent_id: agentId, agent_role: agentRole, input_data: inputData, depends_on: [...dependsOn] });
    return this;
  }

  /** Adds one metadata entry; the server keeps metadata with the workflow. */
  addMetadata(key: string, value: unknown): this {
    this.metadata[key] = value;
    return this;
  }

  /** Returns the request; throws `Workflow must have at least one task` when there is none. */
  build(): WorkflowRequest {
    if (this.tasks.length === 0) {
      throw new Error('Workflow must have at least one task');
    }
    return WorkflowRequestSchema.parse({
      workflow_id: this.workflowId,
      workflow_type: this.workflowType,
      tasks: this.tasks,
      metadata: this.metadata,
    });
  }

  /** Builds and submits the workflow. */
  async submit(client: SwarmInterface): Promise<WorkflowStatusResponse> {
    return client.submitWorkflow(this.build());
  }

  /** Builds, submits and waits for the workflow to finish (see `SwarmInterface.submitAndWait`). */
  async submitAndWait(
    client: SwarmInterface,
    timeout?: number,
    onProgress?: (status: WorkflowStatusResponse) => void,
    options?: WaitOptions,
  ): Promise<WorkflowStatusResponse> {
    return client.submitAndWait(this.build(), timeout, onProgress, options);
  }
}

/** Ready-made workflows with AI Orchestra's task ids, roles, inputs and metadata. */
export class WorkflowPatterns {
  /** Frontend, backend, QA, debugger, QA again: five sequential tasks for one feature. */
  static fullStackDevelopment(featureDescription: string): WorkflowBuilder {
    return new WorkflowBuilder(WorkflowType.SEQUENTIAL)
      .addTask('frontend-agent', 'frontend', { task: `Create frontend components for: ${featureDescription}` })
      .addTask('backend-agent', 'backend', { task: `Create backend API for: ${featureDescription}` })
      .addTask('qa-agent-1', 'qa', { task: 'Review the frontend and backend code. Identify issues.' })
      .addTask('debugger-agent', 'debugger', { task: 'Fix any issues found by QA agent.' })
      .addTask('qa-agent-2', 'qa', { task: 'Final review after fixes. Verify all issues are resolved.' })
      .addMetadata('pattern', 'full-stack-development')
      .addMetadata('feature', featureDescription);
  }

  /** Three QA reviews of the same code in parallel: security, performance and style. */
  static parallelCodeReview(code: string, language: string): WorkflowBuilder {
    return new WorkflowBuilder(WorkflowType.PARALLEL)
      .addTask('qa-security', 'qa', { task: `Review this ${language} code for security vulnerabilities:\n${code}` })
      .addTask('qa-performance', 'qa', { task: `Review this ${language} code for performance issues:\n${code}` })
      .addTask('qa-style', 'qa', { task: `Review this ${language} code for style and best practices:\n${code}` })
      .addMetadata('pattern', 'parallel-code-review')
      .addMetadata('language', language);
  }

  /** An empty graph workflow to add tasks with dependencies to. */
  static customGraph(): WorkflowBuilder {
    return new WorkflowBuilder(WorkflowType.GRAPH);
  }
}
