// Submits a depends_on graph to an Orchestra4j server and prints live progress.
// Run: ORCHESTRA4J_URL=http://127.0.0.1:8000 API_KEY=... npm run example
import { SwarmInterface, WorkflowPatterns } from '../src/index.js';

const swarm = new SwarmInterface(process.env['ORCHESTRA4J_URL'] ?? 'http://127.0.0.1:8000', process.env['API_KEY']);

const workflow = WorkflowPatterns.customGraph()
  .addTask('frontend', 'frontend', { task: 'Login form', simulate_ms: 300 })
  .addTask('backend', 'backend', { task: 'Login API', simulate_ms: 300 })
  .addTask('qa', 'qa', { task: 'Test the login flow' }, ['frontend', 'backend'])
  .addTask('debugger', 'debugger', { task: 'Fix what QA found' }, ['qa'])
  .addMetadata('pattern', 'login-feature');

const result = await workflow.submitAndWait(swarm, 60_000, (status) => {
  const tasks = status.tasks.map((t) => `${t.agent_id}=${t.status}`).join(' ');
  console.log(`[${status.status}] ${tasks}`);
});
console.log(`workflow ${result.workflow_id} ended ${result.status}`);
process.exitCode = result.status === 'completed' ? 0 : 1;
