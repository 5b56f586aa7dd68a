// Pure tests of the request builders: no server needed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkflowBuilder, WorkflowPatterns, WorkflowRequestSchema, WorkflowType } from '../src/index.js';

test('addTask().build() equals the seed JSON', () => {
  const request = new WorkflowBuilder(WorkflowType.SEQUENTIAL).addTask('t1', 'backend', { task: 'x' }).build();
  assert.deepEqual(JSON.parse(JSON.stringify(request)), {
    workflow_type: 'sequential',
    tasks: [{ agent_id: 't1', agent_role: 'backend', input_data: { task: 'x' }, depends_on: [] }],
    metadata: {},
  });
});

test('setId and addMetadata end up in the request', () => {
  const request = new WorkflowBuilder(WorkflowType.GRAPH)
    .setId('wf-1')
    .addTask('a', 'frontend', {})
    .addTask('b', 'qa', { n: 1 }, ['a'])
    .addMetadata('owner', 'team')
    .build();
  assert.equal(request.workflow_id, 'wf-1');
  assert.deepEqual(request.tasks[1]?.depends_on, ['a']);
  assert.deepEqual(request.metadata, { owner: 'team' });
});

test('build() with no task throws the seed message', () => {
  assert.throws(() => new WorkflowBuilder(WorkflowType.PARALLEL).build(), {
    message: 'Workflow must have at least one task',
  });
});

test('fullStackDevelopment has the seed ids, roles and metadata', () => {
  const request = WorkflowPatterns.fullStackDevelopment('auth').build();
  assert.equal(request.workflow_type, WorkflowType.SEQUENTIAL);
  assert.deepEqual(
    request.tasks.map((t) => [t.agent_id, t.agent_role]),
    [
      ['frontend-agent', 'frontend'],
      ['backend-agent', 'backend'],
      ['qa-agent-1', 'qa'],
      ['debugger-agent', 'debugger'],
      ['qa-agent-2', 'qa'],
    ],
  );
  assert.equal(request.metadata['pattern'], 'full-stack-development');
  assert.equal(request.metadata['feature'], 'auth');
  assert.equal(request.tasks[0]?.input_data['task'], 'Create frontend components for: auth');
});

test('parallelCodeReview yields three qa tasks in parallel', () => {
  const request = WorkflowPatterns.parallelCodeReview('let x = 1', 'ts').build();
  assert.equal(request.workflow_type, WorkflowType.PARALLEL);
  assert.deepEqual(
    request.tasks.map((t) => t.agent_id),
    ['qa-security', 'qa-performance', 'qa-style'],
  );
  assert.ok(request.tasks.every((t) => t.agent_role === 'qa'));
  assert.equal(request.metadata['language'], 'ts');
});

test('customGraph starts empty and the schema rejects an unknown workflow type', () => {
  assert.throws(() => WorkflowPatterns.customGraph().build(), /at least one task/);
  assert.throws(() => WorkflowRequestSchema.parse({ workflow_type: 'dag', tasks: [] }));
});
