// End-to-end: the client against the real Java server jar (started on an ephemeral loopback port with an API key).
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import {
  OrchestraError,
  SwarmInterface,
  TaskStatus,
  WorkflowBuilder,
  WorkflowPatterns,
  WorkflowStatus,
  WorkflowType,
  type WatchEvent,
  type WorkflowStatusResponse,
} from '../src/index.js';
import { startServer, type RunningServer } from './server.js';

let server: RunningServer;
let swarm: SwarmInterface;

before(async () => {
  server = await startServer();
  swarm = new SwarmInterface(server.url + '/', server.apiKey, 50);
});

after(async () => {
  await server?.stop();
});

test('seed example: fullStackDevelopment + submitAndWait with progress runs unchanged', async () => {
  const workflow = WorkflowPatterns.fullStackDevelopment('User authentication system');
  const seen: WorkflowStatusResponse[] = [];
  const result = await workflow.submitAndWait(swarm, 60000, (status) => {
    seen.push(status);
  });
  assert.equal(result.status, WorkflowStatus.COMPLETED);
  assert.equal(result.tasks.length, 5);
  assert.ok(result.tasks.every((t) => t.status === TaskStatus.COMPLETED));
  assert.ok(seen.length >= 1, 'onProgress was called');
  assert.deepEqual(seen[0]?.tasks.map((t) => t.agent_role), ['frontend', 'backend', 'qa', 'debugger', 'qa']);
  // sequential: each task's agent received the previous task's result as context
  assert.deepEqual(result.tasks[1]?.result?.['context'], result.tasks[0]?.result);
});

test('submitAndWait by polling calls onProgress on every poll', async () => {
  const request = new WorkflowBuilder(WorkflowType.PARALLEL)
    .addTask('p1', 'qa', { simulate_ms: 150 })
    .addTask('p2', 'qa', { simulate_ms: 150 })
    .build();
  let calls = 0;
  const result = await swarm.submitAndWait(request, 60000, () => calls++, { useEvents: false });
  assert.equal(result.status, WorkflowStatus.COMPLETED);
  assert.ok(calls >= 2, `polled ${calls} times`);
});

test('submitAndWait(slow, 100) rejects with the seed message; cancelOnTimeout deletes the workflow', async () => {
  const slow = new WorkflowBuilder(WorkflowType.SEQUENTIAL).addTask('s1', 'backend', { simulate_ms: 20000 }).build();
  const submitted = await swarm.submitWorkflow(slow);
  await assert.rejects(swarm.waitFor(submitted.workflow_id, 100), {
    message: `Workflow ${submitted.workflow_id} timed out after 100ms`,
  });

  const again = new WorkflowBuilder(WorkflowType.SEQUENTIAL).addTask('s2', 'backend', { simulate_ms: 20000 }).build();
  let id = '';
  await assert.rejects(
    swarm.submitAndWait(again, 100, (s) => {
      id = s.workflow_id;
    }, { cancelOnTimeout: true }),
    /timed out after 100ms/,
  );
  await assert.rejects(swarm.getWorkflowStatus(id), (e: unknown) => e instanceof OrchestraError && e.status === 404);
  await swarm.deleteWorkflow(submitted.workflow_id);
});

test('a wrong key rejects with status 401 and the parsed detail', async () => {
  const wrong = new SwarmInterface(server.url, 'not-the-key');
  await assert.rejects(wrong.listWorkflows(), (e: unknown) => {
    assert.ok(e instanceof OrchestraError);
    assert.match(e.message, /^Orchestration service request failed: 401/);
    assert.equal(e.status, 401);
    assert.equal(e.detail, 'Invalid or missing API key');
    return true;
  });
  const health = await new SwarmInterface(server.url).healthCheck();
  assert.equal(health.status, 'healthy');
  assert.equal(typeof health.active_workflows, 'number');
});

test('invalid graphs are refused with every problem in detail', async () => {
  const ghost = new WorkflowBuilder(WorkflowType.GRAPH).addTask('a', 'backend', {}, ['ghost']).build();
  await assert.rejects(swarm.submitWorkflow(ghost), (e: unknown) => {
    assert.ok(e instanceof OrchestraError);
    assert.equal(e.status, 400);
    assert.match(JSON.stringify(e.detail), /ghost/);
    return true;
  });
});

test('listWorkflows and deleteWorkflow round-trip', async () => {
  const done = await new WorkflowBuilder(WorkflowType.SEQUENTIAL)
    .setId('ts-list-' + Date.now())
    .addTask('l1', 'frontend', {})
    .submitAndWait(swarm, 60000);
  const listed = await swarm.listWorkflows(WorkflowStatus.COMPLETED, 5);
  assert.ok(listed.length <= 5);
  assert.ok(listed.every((w) => w.status === WorkflowStatus.COMPLETED));
  assert.ok(listed.some((w) => w.workflow_id === done.workflow_id));
  await swarm.deleteWorkflow(done.workflow_id);
  await assert.rejects(swarm.getWorkflowStatus(done.workflow_id), /404/);
});

test('a failed dependency fails its dependant and the workflow never ends running', async () => {
  const result = await new WorkflowBuilder(WorkflowType.GRAPH)
    .addTask('g1', 'backend', { simulate_error: 'boom' })
    .addTask('g2', 'qa', {}, ['g1'])
    .submitAndWait(swarm, 60000);
  assert.equal(result.status, WorkflowStatus.FAILED);
  assert.equal(result.tasks[1]?.status, TaskStatus.FAILED);
  assert.match(result.tasks[1]?.error ?? '', /dependency/);
});

test('watch() streams task transitions of a sequential run', async () => {
  const submitted = await swarm.submitWorkflow(
    new WorkflowBuilder(WorkflowType.SEQUENTIAL).addTask('w1', 'backend', {}).addTask('w2', 'qa', {}).build(),
  );
  const events: WatchEvent[] = [];
  const controller = new AbortController();
  await swarm
    .watch(
      submitted.workflow_id,
      (e) => {
        events.push(e);
        const data = e.data as { status?: string; workflow_id?: string; task_id?: string };
        return !(data.task_id === undefined && data.status === 'completed');
      },
      { signal: controller.signal },
    )
    .catch(() => undefined);
  const taskEvents = events.filter((e) => (e.data as { task_id?: string }).task_id !== undefined);
  assert.ok(taskEvents.length >= 4, JSON.stringify(events));
  const ids = events.map((e) => e.id).filter((id) => id !== undefined);
  assert.equal(new Set(ids).size, ids.length, 'no event repeated');
});

test('an aborted submitAndWait rejects at once with the abort reason', async () => {
  const controller = new AbortController();
  const slow = new WorkflowBuilder(WorkflowType.SEQUENTIAL).addTask('a1', 'backend', { simulate_ms: 20000 }).build();
  const waiting = swarm.submitAndWait(slow, 60000, undefined, { signal: controller.signal });
  setTimeout(() => controller.abort(new Error('stop here')), 200);
  await assert.rejects(waiting, { message: 'stop here' });
});

test('pipelines: list and perform the demo math pipeline', async () => {
  const pipelines = await swarm.pipelines.list();
  assert.ok(pipelines.some((p) => p.id === 'math'), JSON.stringify(pipelines));
  const performed = await swarm.pipelines.perform('math', { value: 21 });
  assert.equal(performed.status, 'success', JSON.stringify(performed));
  await assert.rejects(swarm.pipelines.get('nope'), (e: unknown) => e instanceof OrchestraError && e.status === 404);
});

test('sessions: a question is answered and the session completes with a result and a trace', async () => {
  const id = await swarm.sessions.start({ topology: 'interview', task: 'quarterly report' });
  const waiting = await swarm.sessions.waitFor(id, 'WAITING_FOR_USER');
  assert.match(JSON.stringify(waiting), /What should the report be about/);
  await swarm.sessions.answer(id, undefined, 'batteries');
  const finished = await swarm.sessions.waitFor(id);
  assert.equal(finished.status, 'COMPLETED');
  const result = await swarm.sessions.result(id);
  assert.match(JSON.stringify(result), /Noted: batteries/);
  const trace = await swarm.sessions.trace(id);
  assert.ok(trace.length >= 2);
});

test('the client sends X-API-Key and a JSON content type', async () => {
  let seen: IncomingHttpHeaders | undefined;
  const echo = createServer((req, res) => {
    seen = req.headers;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ status: 'healthy', active_workflows: 0, timestamp: 'now' }));
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  try {
    const port = (echo.address() as AddressInfo).port;
    await new SwarmInterface(`http://127.0.0.1:${port}`, 'k').healthCheck();
    assert.equal(seen?.['x-api-key'], 'k');
    assert.equal(seen?.['content-type'], 'application/json');
  } finally {
    echo.close();
  }
});
