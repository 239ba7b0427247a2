// The live page: the topology drawn with Cytoscape.js, the status refreshed every 2 s, and the events
// seen on the rapids every second. Everything comes from this rr ui; nothing from elsewhere.
'use strict';

const colours = { service: '#2f6fb5', domain: '#6b7785', topic: '#c27c0e', river: '#2a8a5a' };
let graphShape = '';
let lastEvent = 0;
// the token rr ui printed with the address: every read of the stage carries it
const token = new URLSearchParams(window.location.search).get('token') || '';

async function getJson(path) {
  const response = await fetch(path, { cache: 'no-store', headers: { 'X-RR-Token': token } });
  const body = await response.json();
  if (!response.ok) {
    throw new Error(body.error || response.statusText);
  }
  return body;
}

function cell(row, text, numeric) {
  const td = row.insertCell();
  td.textContent = text;
  if (numeric) {
    td.className = 'num';
  }
  return td;
}

async function drawTopology() {
  const topology = await getJson('/api/topology');
  document.getElementById('stage').textContent = 'stage ' + topology.stage;
  const shape = JSON.stringify([topology.nodes, topology.edges]);
  if (shape !== graphShape) {
    graphShape = shape;
    const elements = topology.nodes.map(n => ({ data: { id: n.id, label: n.label, kind: n.kind, flagged: n.flagged } }))
      .concat(topology.edges.map(e => ({ data: { id: e.from + '>' + e.to, source: e.from, target: e.to, kind: e.kind } })));
    if (window.rrGraph) {
      window.rrGraph.destroy();
    }
    window.rrGraph = cytoscape({
      container: document.getElementById('graph'),
      elements: elements,
      style: [
        { selector: 'node', style: { 'label': 'data(label)', 'font-size': 11, 'text-valign': 'center', 'color': '#fff',
          'text-outline-width': 2, 'text-outline-color': n => colours[n.data('kind')] || '#555',
          'background-color': n => colours[n.data('kind')] || '#555', 'width': 'label', 'height': 24, 'padding': 6,
          'shape': n => ({ topic: 'ellipse', river: 'barrel', service: 'round-rectangle' }[n.data('kind')] || 'rectangle') } },
        { selector: 'node[?flagged]', style: { 'border-width': 3, 'border-color': '#d0312d' } },
        { selector: 'edge', style: { 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'width': 1.5,
          'line-color': '#99a', 'target-arrow-color': '#99a' } }
      ],
      layout: { name: 'breadthfirst', directed: true, spacingFactor: 1.1, padding: 10 }
    });
  }
  const flags = document.getElementById('flags');
  flags.replaceChildren(...topology.flags.map(text => {
    const li = document.createElement('li');
    li.textContent = text;
    return li;
  }));
  window.rrReady = true;
}

function age(ms) {
  if (ms === null || ms === undefined) {
    return '-';
  }
  return ms < 1000 ? ms + 'ms' : ms < 120000 ? Math.floor(ms / 1000) + 's' : Math.floor(ms / 60000) + 'm';
}

async function refreshStatus() {
  const status = await getJson('/api/status');
  const rivers = document.querySelector('#rivers tbody');
  rivers.replaceChildren();
  for (const river of status.rivers) {
    const row = rivers.insertRow();
    row.className = river.deadLettered > 0 ? 'bad' : '';
    cell(row, river.river);
    cell(row, river.topics.join(', '));
    cell(row, river.visible, true);
    cell(row, river.inFlight, true);
    cell(row, river.deadLettered, true);
    cell(row, age(river.oldestAgeMs), true);
  }
  const planes = document.querySelector('#planes tbody');
  planes.replaceChildren();
  for (const [plane, numbers] of Object.entries(status.planes)) {
    const consumer = plane === 'fanout' ? 'data-plane' : 'control-plane';
    const behind = status.streams.filter(s => s.consumer === consumer).reduce((sum, s) => sum + (s.recordsBehind || 0), 0);
    const row = planes.insertRow();
    row.className = numbers.deadLetters > 0 ? 'bad' : '';
    cell(row, plane);
    cell(row, numbers.processed, true);
    cell(row, numbers.deadLetters, true);
    cell(row, behind, true);
  }
  const archive = status.archive || {};
  document.getElementById('archive').textContent = archive.error !== undefined ? 'archive: cannot say (' + archive.error + ')'
    : 'archive: ' + archive.events + ' events' + (archive.oldest ? ', oldest ' + archive.oldest : '')
      + (archive.newest ? ', newest ' + archive.newest : '') + ', kept: ' + archive.retention;
  const monitors = document.querySelector('#monitors tbody');
  monitors.replaceChildren();
  for (const monitor of status.monitors) {
    const row = monitors.insertRow();
    row.className = monitor.status === 'breached' ? 'bad' : '';
    cell(row, monitor.monitor);
    cell(row, monitor.status + (monitor.current === false ? ' (not current: is rr service monitor running?)' : ''));
    cell(row, monitor.measure || '');
    cell(row, monitor.since || '');
    cell(row, monitor.examples && monitor.examples.length > 0 ? monitor.examples[0].trace : '');
    cell(row, monitor.rule);
  }
  const services = document.querySelector('#services tbody');
  services.replaceChildren();
  for (const service of status.services) {
    const row = services.insertRow();
    cell(row, service.service);
    cell(row, service.river);
    cell(row, service.consumes.join(', '));
    cell(row, service.publishes.join(', '));
    cell(row, service.lastPublished);
  }
  const stuck = document.getElementById('stuck');
  stuck.textContent = status.stuck.length === 0 ? 'nothing stuck' : status.stuck.join(' · ');
  stuck.className = status.stuck.length === 0 ? 'ok' : 'bad';
  document.getElementById('refreshed').textContent = 'at ' + status.at;
}

async function followEvents() {
  const seen = await getJson('/api/events?after=' + lastEvent);
  const body = document.querySelector('#events tbody');
  if (seen.skipped > 0) {
    // more came since the last look than the page keeps: say how many are not shown, never skip silently
    const row = body.insertRow(0);
    row.className = 'skipped';
    const note = row.insertCell();
    note.colSpan = 5;
    note.textContent = seen.skipped + ' event(s) not shown: more came since the last look than the page keeps ('
        + seen.kept + ')';
  }
  for (const event of seen.events) {
    lastEvent = Math.max(lastEvent, event.n);
    const row = body.insertRow(0);
    row.className = 'fresh';
    row.dataset.eventId = event.eventId || '';
    cell(row, event.timestamp || '');
    cell(row, event.type);
    cell(row, event.domain || '');
    cell(row, event.rivers.length === 0 ? '(none)' : event.rivers.join(', '));
    cell(row, event.eventId || '');
  }
  while (body.rows.length > 100) {
    body.deleteRow(body.rows.length - 1);
  }
}

function every(ms, task) {
  const run = () => task().catch(problem => {
    const stuck = document.getElementById('stuck');
    stuck.textContent = 'cannot reach the stage: ' + problem.message;
    stuck.className = 'bad';
  }).finally(() => setTimeout(run, ms));
  run();
}

every(10000, drawTopology);
every(2000, refreshStatus);
every(1000, followEvents);
