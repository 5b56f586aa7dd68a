// Orchestra4j console: plain JavaScript over the server's REST and SSE APIs. Nothing is fetched from elsewhere.
'use strict';
const view = document.getElementById('view');
const keyInput = document.getElementById('api-key');
keyInput.value = sessionStorage.getItem('o4j.key') || '';
// Every request reads the key from the field, so typing it needs no re-render. Only a page that could not load
// (a 401, say) is loaded again when the key is entered: re-rendering a working page on 'change' (which fires when the
// field loses focus, i.e. on the mouse-down of the user's next click) would replace the button being clicked.
keyInput.addEventListener('input', () => sessionStorage.setItem('o4j.key', keyInput.value));
keyInput.addEventListener('change', () => { if (view.dataset.failed) route(); });
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });

let streams = [];
let renderCount = 0;

function headers(extra) {
  const h = Object.assign({}, extra || {});
  if (keyInput.value) h['X-API-Key'] = keyInput.value;
  return h;
}
async function api(path, options) {
  const o = Object.assign({}, options || {});
  o.headers = headers(o.body ? { 'Content-Type': 'application/json' } : {});
  const r = await fetch(path, o);
  const text = await r.text();
  if (!r.ok) throw new Error(r.status + ' ' + text);
  try { return JSON.parse(text); } catch (e) { return text; }
}
// SSE over fetch, so the API key travels in a header (EventSource cannot send headers).
function stream(path, onEvent) {
  const controller = new AbortController();
  streams.push(controller);
  let lastId = '';
  (async () => {
    while (!controller.signal.aborted) {
      try {
        const h = headers({ Accept: 'text/event-stream' });
        if (lastId) h['Last-Event-ID'] = lastId;
        const r = await fetch(path, { headers: h, signal: controller.signal });
        setLive(r.ok);
        const reader = r.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let cut;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const event = { type: 'message', data: '' };
            for (const line of block.split('\n')) {
              if (line.startsWith('id: ')) { lastId = line.slice(4); }
              else if (line.startsWith('event: ')) { event.type = line.slice(7); }
              else if (line.startsWith('data: ')) { event.data += line.slice(6); }
            }
            if (event.data) onEvent(event.type, JSON.parse(event.data));
          }
        }
      } catch (e) { if (controller.signal.aborted) return; }
      setLive(false);
      await new Promise(r => setTimeout(r, 1000));
    }
  })();
}
function setLive(on) {
  const b = document.getElementById('live');
  b.textContent = on ? 'live' : 'offline';
  b.className = 'badge ' + (on ? 'COMPLETED' : 'FAILED');
}
function show(templateId) {
  streams.forEach(c => c.abort());
  streams = [];
  view.replaceChildren(document.getElementById(templateId).content.cloneNode(true));
}
function cell(row, text) {
  const td = document.createElement('td');
  td.textContent = text == null ? '' : (typeof text === 'string' ? text : JSON.stringify(text));
  row.appendChild(td);
  return td;
}
function link(td, href, text) {
  td.textContent = '';
  const a = document.createElement('a');
  a.href = href; a.textContent = text;
  td.appendChild(a);
}
async function drawMermaid(target, text) {
  if (!text) { target.textContent = ''; return; }
  try {
    const { svg } = await mermaid.render('m' + (++renderCount), text);
    target.innerHTML = svg;
  } catch (e) { target.textContent = 'diagram: ' + e.message; }
}

// ---- sessions -------------------------------------------------------------
async function sessionsPage() {
  show('sessions-view');
  const select = document.getElementById('start-topology');
  const topologies = (await api('/api/topologies')).topologies;
  for (const t of topologies) {
    const o = document.createElement('option');
    o.value = o.textContent = t.name;
    select.appendChild(o);
  }
  document.getElementById('start-form').addEventListener('submit', async e => {
    e.preventDefault();
    const s = await api('/api/sessions', { method: 'POST', body: JSON.stringify({
      topology: select.value, task: document.getElementById('start-task').value }) });
    location.hash = '#/sessions/' + s.session_id;
  });
  const rows = new Map();
  const tbody = document.querySelector('#sessions tbody');
  const put = s => {
    let row = rows.get(s.session_id);
    if (!row) {
      row = document.createElement('tr');
      row.dataset.session = s.session_id;
      rows.set(s.session_id, row);
      tbody.prepend(row);
    }
    row.replaceChildren();
    link(cell(row, ''), '#/sessions/' + s.session_id, s.session_id);
    cell(row, s.topology);
    const st = cell(row, s.status); st.className = 'status';
    cell(row, String((s.pending_questions || []).length));
    cell(row, s.updated_at);
  };
  const list = await api('/api/sessions?limit=100');
  list.sessions.slice().reverse().forEach(put);
  stream('/api/events', (type, data) => { if (type === 'session') put(data); });
}

async function sessionPage(id) {
  show('session-view');
  document.getElementById('session-id').textContent = id;
  document.getElementById('steps-link').href = '#/sessions/' + encodeURIComponent(id) + '/steps';
  const status = document.getElementById('session-status');
  const live = document.getElementById('live-diagram');
  const post = (path, body) => api('/api/sessions/' + id + path, { method: 'POST', body: JSON.stringify(body || {}) });
  document.getElementById('pause-button').onclick = () => post('/pause');
  document.getElementById('resume-button').onclick = () => post('/resume');
  document.getElementById('cancel-button').onclick = () => post('/cancel');
  const topology = await (await fetch('/api/sessions/' + id + '/diagrams/topology', { headers: headers() })).text();
  const ids = new Map();
  for (const line of topology.split('\n')) {
    const m = line.match(/^\s*(n\d+)[\[\(\{\/]+"(.*?)"/);
    if (m) ids.set(m[2], m[1]);
  }
  const visited = new Set();
  let active = null;
  const redraw = () => {
    let text = topology;
    for (const name of visited) if (ids.has(name)) text += '\n    style ' + ids.get(name) + ' fill:#bbf7d0,stroke:#15803d';
    if (active && ids.has(active)) text += '\n    style ' + ids.get(active) + ' fill:#fde047,stroke:#a16207,stroke-width:3px';
    drawMermaid(live, text);
  };
  redraw();
  const refresh = async () => {
    const s = await api('/api/sessions/' + id);
    status.textContent = s.status;
    status.className = 'badge ' + s.status;
    document.getElementById('final-response').textContent =
      s.final_response == null ? '' : 'Final response: ' + (typeof s.final_response === 'string' ? s.final_response : JSON.stringify(s.final_response));
    questions(id, s.pending_questions || []);
    if (s.status !== 'RUNNING') {
      try {
        drawMermaid(document.getElementById('run-diagram'), (
          await (await fetch('/api/sessions/' + id + '/diagrams/run', { headers: headers() })).text()));
        trace(await (await fetch('/api/sessions/' + id + '/trace', { headers: headers() })).text());
      } catch (e) { /* no result yet */ }
    }
  };
  await refresh();
  stream('/api/sessions/' + id + '/events', (type, e) => {
    if (type === 'step_started') { active = e.agent; visited.add(e.agent); redraw(); }
    if (type === 'step_completed' || type === 'step_failed') { active = null; redraw(); }
    if (type === 'status') refresh();
  });
}

function questions(id, pending) {
  const box = document.getElementById('questions');
  const key = pending.map(q => q.interaction_id).join(',');
  if (box.dataset.key === key) return;
  box.dataset.key = key;
  box.replaceChildren();
  document.getElementById('questions-section').hidden = pending.length === 0;
  for (const q of pending) {
    const div = document.createElement('div');
    div.className = 'question';
    div.dataset.interaction = q.interaction_id;
    const p = document.createElement('p');
    p.className = 'question-text';
    p.textContent = q.agent + ' asks: ' + q.question;
    const input = document.createElement('textarea');
    input.className = 'answer-input';
    const button = document.createElement('button');
    button.className = 'answer-button';
    button.textContent = 'Answer';
    button.onclick = async () => {
      button.disabled = true;
      await api('/api/sessions/' + id + '/answers', { method: 'POST',
        body: JSON.stringify({ interaction_id: q.interaction_id, answer: input.value }) });
    };
    div.append(p, input, button);
    box.appendChild(div);
  }
}

function trace(ndjson) {
  const tbody = document.querySelector('#trace tbody');
  tbody.replaceChildren();
  for (const line of ndjson.split('\n')) {
    if (!line.trim()) continue;
    const t = JSON.parse(line);
    const row = document.createElement('tr');
    cell(row, t.index); cell(row, t.branchId); cell(row, t.agent); cell(row, t.action);
    cell(row, t.targets); cell(row, t.output); cell(row, t.durationMicros != null ? (t.durationMicros / 1000).toFixed(1) : '');
    tbody.appendChild(row);
  }
}

// ---- workflows ------------------------------------------------------------
async function workflowsPage() {
  show('workflows-view');
  const tbody = document.querySelector('#workflows tbody');
  const rows = new Map();
  const put = w => {
    let row = rows.get(w.workflow_id);
    if (!row) { row = document.createElement('tr'); rows.set(w.workflow_id, row); tbody.prepend(row); }
    row.replaceChildren();
    link(cell(row, ''), '#/workflows/' + w.workflow_id, w.workflow_id);
    cell(row, w.workflow_type); cell(row, w.status); cell(row, w.created_at);
  };
  (await api('/workflows?limit=100')).slice().reverse().forEach(put);
  stream('/api/events', (type, data) => { if (type === 'workflow') put(data); });
}

async function workflowPage(id) {
  show('workflow-view');
  document.getElementById('workflow-id').textContent = id;
  document.getElementById('delete-button').onclick = async () => {
    await api('/workflows/' + id, { method: 'DELETE' });
    location.hash = '#/workflows';
  };
  const draw = w => {
    const status = document.getElementById('workflow-status');
    status.textContent = w.status; status.className = 'badge ' + w.status;
    const tbody = document.querySelector('#tasks tbody');
    tbody.replaceChildren();
    for (const t of w.tasks) {
      const row = document.createElement('tr');
      cell(row, t.task_id); cell(row, t.agent_id); cell(row, t.agent_role); cell(row, t.status);
      cell(row, t.started_at); cell(row, t.completed_at); cell(row, t.error);
      tbody.appendChild(row);
    }
  };
  draw(await api('/status/' + id));
  stream('/workflows/' + id + '/events', type => {
    if (type === 'task' || type === 'workflow') api('/status/' + id).then(draw, () => {});
  });
}

// ---- recorded steps and forks (issue #19) ---------------------------------
function text(value) {
  return value == null ? '' : (typeof value === 'string' ? value : JSON.stringify(value, null, 2));
}
async function forkFrom(id, step) {
  const result = document.getElementById('fork-result');
  const button = document.getElementById('fork-button');
  if (button) button.disabled = true;
  result.textContent = 'Forking after step ' + step + '…';
  const base = '/api/sessions/' + encodeURIComponent(id) + '/forks';
  const f = await api(base, { method: 'POST', body: JSON.stringify({ step }) });
  // 202: the fork runs on the server; follow it until it ends, then show its steps
  for (let s = f; s.status === 'RUNNING'; s = await api(base + '/' + encodeURIComponent(f.session_id))) {
    result.textContent = 'Fork ' + f.session_id + ' of step ' + step + ' running…';
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  location.hash = '#/sessions/' + encodeURIComponent(f.session_id) + '/steps';
}
async function stepsPage(id) {
  show('steps-view');
  const session = document.getElementById('steps-session');
  session.textContent = id;
  session.href = '#/sessions/' + encodeURIComponent(id);
  const r = await api('/api/sessions/' + encodeURIComponent(id) + '/steps');
  document.getElementById('steps-tokens').textContent = r.total_tokens + ' tokens';
  const tbody = document.querySelector('#steps tbody');
  for (const s of r.steps) {
    const row = document.createElement('tr');
    row.dataset.step = s.step;
    link(cell(row, ''), '#/sessions/' + encodeURIComponent(id) + '/steps/' + s.step, String(s.step));
    cell(row, s.agent); cell(row, s.branch_id);
    cell(row, s.action + (s.targets.length ? ' → ' + s.targets.join(', ') : ''));
    cell(row, String(s.tokens)); cell(row, String(s.duration_ms));
    cell(row, String(s.model_calls)); cell(row, String(s.tool_calls)); cell(row, s.copied_from || '');
    const button = document.createElement('button');
    button.className = 'fork-step';
    button.textContent = 'Fork from here';
    button.onclick = () => forkFrom(id, s.step).catch(e => { document.getElementById('fork-result').textContent = 'Error: ' + e.message; });
    cell(row, '').appendChild(button);
    tbody.appendChild(row);
  }
  drawMermaid(document.getElementById('steps-diagram'), r.mermaid);
}
async function stepPage(id, step) {
  show('step-view');
  const session = document.getElementById('step-session');
  session.textContent = id;
  session.href = '#/sessions/' + encodeURIComponent(id) + '/steps';
  const s = await api('/api/sessions/' + encodeURIComponent(id) + '/steps/' + step);
  document.getElementById('step-number').textContent = s.step;
  document.getElementById('step-agent').textContent = s.agent + ' on ' + s.branch_id;
  document.getElementById('step-input').textContent = text(s.input);
  document.getElementById('step-action').textContent = s.action + (s.targets.length ? ' → ' + s.targets.join(', ') : '');
  document.getElementById('step-output').textContent = s.error ? s.error : text(s.output);
  const calls = document.getElementById('model-calls');
  calls.textContent = s.model_call_details.length ? '' : 'none';
  s.model_call_details.forEach((c, i) => {
    const div = document.createElement('div');
    div.className = 'model-call';
    const head = document.createElement('p');
    head.textContent = '#' + (i + 1) + ': ' + c.input_tokens + '+' + c.output_tokens + ' tokens, ' + c.duration_ms
      + ' ms, tools ' + c.tools.join(', ') + ', request ' + c.request_digest.slice(0, 12);
    const messages = document.createElement('pre');
    messages.className = 'model-messages';
    messages.textContent = text(c.messages);
    const response = document.createElement('pre');
    response.className = 'model-response';
    response.textContent = text(c.response);
    div.append(head, messages, response);
    calls.appendChild(div);
  });
  const tools = document.getElementById('tool-calls');
  tools.textContent = s.tool_call_details.length ? '' : 'none';
  for (const t of s.tool_call_details) {
    const p = document.createElement('pre');
    p.className = 'tool-call';
    p.textContent = t.name + ' ' + t.arguments + (t.failed ? ' (failed)' : '') + '\n→ ' + t.result;
    tools.appendChild(p);
  }
  document.getElementById('fork-button').onclick = () =>
    forkFrom(id, s.step).catch(e => { document.getElementById('fork-result').textContent = 'Error: ' + e.message; });
}

let routed = 0; // a page whose route was superseded must not write its late error over the current page
function route() {
  const generation = ++routed;
  const h = location.hash || '#/';
  let m;
  const page = (m = h.match(/^#\/sessions\/([^/]+)\/steps\/(\d+)$/)) ? stepPage(decodeURIComponent(m[1]), m[2])
    : (m = h.match(/^#\/sessions\/([^/]+)\/steps$/)) ? stepsPage(decodeURIComponent(m[1]))
    : (m = h.match(/^#\/sessions\/(.+)$/)) ? sessionPage(decodeURIComponent(m[1]))
    : (m = h.match(/^#\/workflows\/(.+)$/)) ? workflowPage(decodeURIComponent(m[1]))
    : h === '#/workflows' ? workflowsPage() : sessionsPage();
  delete view.dataset.failed;
  page.catch(e => {
    if (generation === routed) {
      view.textContent = 'Error: ' + e.message;
      view.dataset.failed = 'true';
    }
  });
}
window.addEventListener('hashchange', route);
route();
