// The operators' dashboard: one page, views chosen by the URL's hash (#/, #/pipelines/<name>, #/dead-letters, #/topology,
// #/cluster). Live figures come from the server-sent events of /api/dashboard/stream; each pipeline's own page is a script
// its module declares (/pipelines/<name>.js) that registers itself with Millrace.definePage.
'use strict';

const Millrace = (() => {
  const fmt = new Intl.NumberFormat('en', {maximumFractionDigits: 1});
  const fmt0 = new Intl.NumberFormat('en', {maximumFractionDigits: 0});
  const SPAN_MS = 15 * 60 * 1000;
  const COLORS = ['#1d5fa8', '#c2410c', '#1f7a45', '#7a3fb0', '#b42323', '#0e7490', '#a16207', '#4b5563'];

  const state = {snapshot: null, pages: [], history: new Map(), statsListeners: new Set(), pointListeners: new Set(),
    refused: false, view: null, cleanups: []};
  const pageDefinitions = new Map();
  const pageScripts = new Map();

  // ---- small helpers

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'text') node.textContent = value;
      else if (key === 'class') node.className = value;
      else if (key.startsWith('on')) node.addEventListener(key.substring(2), value);
      else node.setAttribute(key, value === true ? '' : value);
    }
    for (const child of children.flat()) {
      if (child !== undefined && child !== null && child !== false) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function number(value, digits) {
    if (value === undefined || value === null || Number.isNaN(value)) return '—';
    return digits === 0 ? fmt0.format(value) : fmt.format(value);
  }

  function millis(ms) {
    if (!ms) return '—';
    if (ms >= 60000) return `${fmt.format(ms / 60000)} min`;
    if (ms >= 1000) return `${fmt.format(ms / 1000)} s`;
    return `${fmt0.format(ms)} ms`;
  }

  function bytes(n) {
    if (!n) return '0 B';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    const i = Math.min(units.length - 1, Math.floor(Math.log(n) / Math.log(1024)));
    return `${fmt.format(n / Math.pow(1024, i))} ${units[i]}`;
  }

  function time(epochMillis) {
    return new Date(epochMillis).toLocaleTimeString('en-GB', {hour12: false});
  }

  function figure(label, value, sub, cls) {
    return el('div', {class: 'figure'}, el('span', {class: 'label', text: label}), el('span', {class: 'value ' + (cls || ''), text: value}),
      sub ? el('span', {class: 'sub', text: sub}) : null);
  }

  function table(headers, rows, caption) {
    return el('div', {class: 'table-wrap'}, el('table', {},
      caption ? el('caption', {class: 'visually-hidden', text: caption}) : null,
      el('thead', {}, el('tr', {}, headers.map(h => el('th', {scope: 'col', class: h.num ? 'num' : '', text: h.label || h})))),
      el('tbody', {}, rows)));
  }

  // ---- calls, and what a refusal means

  async function api(path, options = {}) {
    const answer = await fetch(path, Object.assign({credentials: 'same-origin', headers: {Accept: 'application/json'}}, options));
    if (answer.status === 401 || answer.status === 403) {
      signIn(answer.status);
      throw new Error('refused');
    }
    const body = await answer.json().catch(() => ({}));
    if (!answer.ok) {
      const error = new Error(body.detail || `${path}: ${answer.status}`);
      error.status = answer.status;
      throw error;
    }
    return body;
  }

  function signIn(status) {
    state.refused = true;
    const badge = document.getElementById('connection');
    badge.textContent = status === 401 ? 'signed out' : 'not allowed';
    badge.className = 'badge refused';
    const notice = document.getElementById('sign-in');
    notice.hidden = false;
    notice.querySelector('.why').textContent = status === 401
      ? 'The dashboard needs an operator token. Create one with "millrace token --user <you> --role operator" and open /login?token=<token>.'
      : 'Your token does not carry the operator role, which the dashboard needs.';
    document.getElementById('page').replaceChildren();
  }

  // ---- the live stream and the last 15 minutes

  function remember(pipeline, point) {
    const points = state.history.get(pipeline) || [];
    if (points.length === 0 || points[points.length - 1].at < point.at) points.push(point);
    while (points.length && points[0].at < point.at - SPAN_MS) points.shift();
    state.history.set(pipeline, points);
  }

  async function loadHistory() {
    const history = await api('/api/dashboard/history');
    for (const [pipeline, points] of Object.entries(history.pipelines)) {
      state.history.set(pipeline, []);
      points.forEach(point => remember(pipeline, point));
    }
  }

  function connect() {
    const badge = document.getElementById('connection');
    const source = new EventSource('/api/dashboard/stream');
    source.addEventListener('stats', e => {
      badge.textContent = 'live';
      badge.className = 'badge live';
      state.snapshot = JSON.parse(e.data);
      state.statsListeners.forEach(listener => listener(state.snapshot));
    });
    source.addEventListener('point', e => {
      const points = JSON.parse(e.data);
      for (const [pipeline, point] of Object.entries(points.pipelines)) remember(pipeline, point);
      state.pointListeners.forEach(listener => listener(points));
    });
    source.onerror = async () => {
      badge.textContent = 'reconnecting…';
      badge.className = 'badge';
      // EventSource hides the HTTP status; ask once whether the stream was refused rather than lost.
      try {
        const answer = await fetch('/api/dashboard/stats', {credentials: 'same-origin'});
        if (answer.status === 401 || answer.status === 403) {
          source.close();
          signIn(answer.status);
        }
      } catch (ignored) {
        // the instance is unreachable: EventSource keeps retrying on its own
      }
    };
  }

  // ---- charts (uPlot), each labelled for screen readers with what it shows and its latest values

  function chart(container, {title, unit, series, height = 220, stacked = false}) {
    const box = el('div', {class: 'chart', role: 'img', 'aria-label': title});
    const heading = el('h3', {text: title});
    container.append(heading, box);
    const plot = new uPlot({
      width: Math.max(280, container.clientWidth || 600), height, legend: {live: false},
      // A lone point would get a range of years around it: a minute either side instead.
      scales: {x: {time: true, range: (u, min, max) => min === max ? [min - 60, max + 60] : [min, max]}},
      axes: [{}, {label: unit, size: 60, values: (u, values) => values.map(v => number(v))}],
      series: [{label: 'time'}, ...series.map((s, i) => ({label: s.label, stroke: s.color || COLORS[i % COLORS.length],
        width: 1.6, fill: stacked ? (s.color || COLORS[i % COLORS.length]) + '33' : undefined, dash: s.dash, spanGaps: true,
        value: (u, v) => v === null || v === undefined ? '—' : number(v)}))]
    }, [[], ...series.map(() => [])], box);
    const resize = new ResizeObserver(() => plot.setSize({width: Math.max(280, box.clientWidth), height}));
    resize.observe(box);
    state.cleanups.push(() => { resize.disconnect(); plot.destroy(); });
    return {
      element: box,
      points: () => plot.data[0].length,
      // data: [times in epoch millis, ...one array per series]
      set(data) {
        plot.setData([data[0].map(t => t / 1000), ...data.slice(1)]);
        // uPlot 1.6 gives a lone point a range of years whatever the scale's range says: a minute either side instead.
        if (data[0].length === 1) plot.setScale('x', {min: data[0][0] / 1000 - 60, max: data[0][0] / 1000 + 60});
        box.dataset.points = String(data[0].length);
        const latest = series.map((s, i) => `${s.label} ${number(data[i + 1][data[i + 1].length - 1])}`).join(', ');
        box.setAttribute('aria-label', data[0].length
          ? `${title}: ${data[0].length} points from ${time(data[0][0])} to ${time(data[0][data[0].length - 1])}; latest ${latest} ${unit}`
          : `${title}: no data yet`);
      }
    };
  }

  function historyData(pipeline, ...pick) {
    const points = state.history.get(pipeline) || [];
    return [points.map(p => p.at), ...pick.map(f => points.map(f))];
  }

  // ---- views

  function onStats(listener) {
    state.statsListeners.add(listener);
    state.cleanups.push(() => state.statsListeners.delete(listener));
    if (state.snapshot) listener(state.snapshot);
  }

  function onPoint(listener) {
    state.pointListeners.add(listener);
    state.cleanups.push(() => state.pointListeners.delete(listener));
  }

  function every(ms, task) {
    const run = () => task().catch(error => { if (error.message !== 'refused') console.warn(error.message); });
    run();
    const timer = setInterval(run, ms);
    state.cleanups.push(() => clearInterval(timer));
  }

  /** A live stream of a pipeline's own (a subscription), closed when the view changes. */
  function subscribe(path, handlers) {
    const source = new EventSource(path);
    for (const [event, handler] of Object.entries(handlers)) source.addEventListener(event, e => handler(JSON.parse(e.data)));
    state.cleanups.push(() => source.close());
    return source;
  }

  function stateOf(p) {
    return p.status === 'DEGRADED' || p.status === 'DOWN' ? p.status : p.state;
  }

  function overview(root) {
    root.append(el('h2', {text: 'Overview'}));
    const cluster = el('section', {class: 'panel', 'aria-label': 'Cluster summary'}, el('h3', {text: 'Cluster'}), el('p', {class: 'empty', text: 'Loading…'}));
    const cards = el('div', {class: 'grid', id: 'pipelines'});
    const empty = el('p', {id: 'empty', class: 'empty', hidden: true, text: 'No pipelines are running on this instance.'});
    root.append(cluster, el('h2', {text: 'Pipelines', style: 'margin-top:1rem'}), empty, cards);
    const byName = new Map();

    every(10000, async () => {
      const info = await api('/cluster');
      const hosts = new Set();
      let active = 0;
      let standby = 0;
      for (const pipeline of info) {
        for (const host of pipeline.hosts) {
          hosts.add(host.host);
          active += host.activePartitions.length;
          standby += host.standbyPartitions.length;
        }
      }
      const restoring = info.reduce((n, p) => n + p.restoring.length, 0);
      cluster.replaceChildren(el('h3', {text: 'Cluster'}), el('div', {class: 'figures'},
        figure('Instances', number(hosts.size, 0), [...hosts].join(', ')),
        figure('Pipelines', number(info.length, 0)),
        figure('Active partitions', number(active, 0), 'all instances'),
        figure('Standby partitions', number(standby, 0), standby === 0 ? 'no standby replicas' : 'all instances'),
        figure('Restoring here', number(restoring, 0), 'changelog partitions')),
        el('p', {class: 'note', text: `Rates, record ages and store sizes below are this instance's (${state.snapshot ? state.snapshot.instance : ''}); `
          + 'lag and dead letters are read from the broker.'}));
    });

    function card(p) {
      const page = state.pages.find(q => q.pipeline === p.name);
      const node = el('article', {class: 'panel', 'data-pipeline': p.name, 'aria-labelledby': `title-${p.name}`});
      const heading = el('header', {}, el('h3', {id: `title-${p.name}`},
        page ? el('a', {href: `#/pipelines/${p.name}`, text: page.title}) : p.name, ' ',
        el('span', {class: 'state', 'data-field': 'state'})), el('div', {class: 'reason', 'data-field': 'reason'}));
      const figures = el('div', {class: 'figures', 'data-field': 'figures'});
      const charts = el('div', {});
      const stores = el('details', {}, el('summary', {text: 'Stores'}), el('div', {'data-field': 'stores'}));
      const links = el('p', {class: 'note'}, el('a', {href: `#/dead-letters/${p.name}`, text: 'Dead letters'}), ' · ',
        el('a', {href: `#/topology/${p.name}`, text: 'Topology'}), page ? ' · ' : '', page ? el('a', {href: `#/pipelines/${p.name}`, text: page.title + ' page'}) : '');
      node.append(heading, figures, charts, stores, links);
      cards.append(node);
      const rates = chart(charts, {title: `${p.name}: records per second, last 15 minutes`, unit: 'records/s',
        series: [{label: 'in'}, {label: 'out'}]});
      rates.element.dataset.chart = 'rates';
      const entry = {node, rates};
      byName.set(p.name, entry);
      return entry;
    }

    function update(snapshot) {
      empty.hidden = snapshot.pipelines.length > 0;
      for (const p of snapshot.pipelines) {
        const entry = byName.get(p.name) || card(p);
        const shown = stateOf(p);
        const stateCell = entry.node.querySelector('[data-field=state]');
        stateCell.textContent = shown;
        stateCell.className = 'state state-' + shown;
        entry.node.querySelector('[data-field=reason]').textContent = p.reason || '';
        const windowed = p.outputDelay === 'WINDOW_CLOSE';
        entry.node.querySelector('[data-field=figures]').replaceChildren(
          figure('In', number(p.inputRate), 'records/s'),
          figure('Out', number(p.outputRate), 'records/s'),
          figure('Lag', p.lag < 0 ? '—' : number(p.lag, 0), 'records'),
          figure('Ingest delay', millis(p.ingestDelayMs), 'event to read, avg'),
          figure(windowed ? 'Window close delay' : 'End-to-end', millis(p.outputDelayMs),
            windowed ? 'results wait for their window to close' : 'event to result, avg'),
          figure('Dead letters', number(p.deadLetters, 0), `${number(p.deadLetterRate)}/s`, p.deadLetters > 0 ? 'dead' : ''),
          figure('Rejected', number(p.rejections, 0), `${number(p.rejectionRate)}/s`));
        entry.node.querySelector('[data-field=stores]').replaceChildren(table(
          ['Store', {label: 'Keys (est.)', num: true}, {label: 'SST files', num: true}],
          p.stores.map(s => el('tr', {}, el('td', {text: s.name}), el('td', {class: 'num', text: number(s.keys, 0)}),
            el('td', {class: 'num', text: bytes(s.sstBytes)}))), `${p.name} stores`));
      }
    }

    function redraw() {
      for (const [name, entry] of byName) entry.rates.set(historyData(name, p => p.inputRate, p => p.outputRate));
    }

    onStats(snapshot => {
      const fresh = snapshot.pipelines.some(p => !byName.has(p.name));
      update(snapshot);
      if (fresh) redraw();
    });
    onPoint(redraw);
  }

  async function pipelinePage(root, name) {
    const page = state.pages.find(p => p.pipeline === name);
    if (!page) {
      root.append(el('h2', {text: name}), el('p', {class: 'empty', text: `No page for ${name} on this instance.`}));
      return;
    }
    root.append(el('h2', {text: page.title}), el('p', {class: 'note', text: page.summary}));
    const body = el('div', {'data-page': name});
    root.append(body);
    await loadScript(page.script);
    const definition = pageDefinitions.get(name);
    if (!definition) throw new Error(`${page.script} did not define the page of ${name}`);
    if (state.view !== `pipelines/${name}`) return;
    definition(body, context(name, page));
  }

  function loadScript(src) {
    if (!pageScripts.has(src)) {
      pageScripts.set(src, new Promise((resolve, reject) => {
        document.head.append(el('script', {src, onload: resolve, onerror: () => reject(new Error(`cannot load ${src}`))}));
      }));
    }
    return pageScripts.get(src);
  }

  /** What a pipeline's page may use. */
  function context(name, page) {
    return {pipeline: name, page, api, el, chart, table, figure, number, millis, time, every, subscribe, onStats, onPoint,
      history: (...pick) => historyData(name, ...pick), points: () => state.history.get(name) || []};
  }

  async function deadLetters(root, chosen) {
    const names = state.snapshot ? state.snapshot.pipelines.map(p => p.name) : state.pages.map(p => p.pipeline);
    const pipeline = chosen || names[0];
    root.append(el('h2', {text: 'Dead letters'}),
      el('p', {class: 'note', text: 'The newest records each pipeline could not decode, process or write, as they were read, with the '
        + 'error Kafka Streams gave. Payloads are shown as bytes (hex and base64, first 4 KiB), never decoded; letters of topics that may '
        + 'carry card numbers hold only lengths. Replaying sends a letter back to the topic it failed on, once.'}),
      el('nav', {class: 'tabs', 'aria-label': 'Pipelines'}, names.map(n => el('a', {href: `#/dead-letters/${n}`, text: n,
        'aria-current': n === pipeline ? 'page' : undefined}))));
    if (!pipeline) return;
    const controls = el('div', {class: 'tabs'});
    const progress = el('div', {class: 'progress', role: 'status', 'aria-live': 'polite', id: 'replay-progress'});
    const list = el('div', {id: 'letters'});
    root.append(controls, progress, list);
    // Kept across refreshes: which letters are ticked and which are opened.
    const selected = new Set();
    const opened = new Set();
    const replaySelected = el('button', {class: 'primary', disabled: true, id: 'replay-selected', text: 'Replay selected',
      onclick: () => replay([...selected])});
    const replayAll = el('button', {id: 'replay-all', text: 'Replay all not yet replayed', onclick: () => replay(null)});
    const refresh = el('button', {text: 'Refresh', onclick: () => load()});
    controls.append(replaySelected, replayAll, refresh);

    async function replay(letters) {
      replaySelected.disabled = true;
      replayAll.disabled = true;
      try {
        let job = await api('/api/dashboard/dead-letters/replays', {method: 'POST', headers: {'Content-Type': 'application/json'},
          body: JSON.stringify(letters ? {pipeline, letters} : {pipeline})});
        while (true) {
          progress.textContent = `Replay ${job.id}: ${job.state}, ${job.replayed} sent back${job.requested >= 0 ? ` of ${job.requested}` : ''}, `
            + `${job.alreadyReplayed} replayed before, ${job.missing} not found${job.error ? ' — ' + job.error : ''}`;
          progress.dataset.state = job.state;
          if (job.state !== 'RUNNING') break;
          await new Promise(resolve => setTimeout(resolve, 500));
          job = await api(`/api/dashboard/dead-letters/replays/${job.id}`);
        }
        selected.clear();
        await load();
      } catch (error) {
        if (error.message !== 'refused') progress.textContent = `Replay refused: ${error.message}`;
      } finally {
        replayAll.disabled = false;
        replaySelected.disabled = selected.size === 0;
      }
    }

    async function load() {
      const answer = await api(`/api/dashboard/dead-letters?pipeline=${encodeURIComponent(pipeline)}&limit=50`);
      answer.letters.filter(letter => letter.replayed).forEach(letter => selected.delete(letter.id));
      replaySelected.disabled = selected.size === 0;
      const rows = answer.letters.map(letter => {
        const box = el('input', {type: 'checkbox', 'aria-label': `select letter ${letter.id}`, disabled: letter.replayed,
          checked: selected.has(letter.id),
          onchange: e => { if (e.target.checked) selected.add(letter.id); else selected.delete(letter.id); replaySelected.disabled = selected.size === 0; }});
        const exception = (letter.exception || '').split('.').pop();
        return el('tr', {'data-letter': letter.id},
          el('td', {}, box),
          el('td', {}, letter.id, el('div', {class: 'note', text: time(letter.timestamp)})),
          el('td', {text: letter.stage || '—'}),
          el('td', {}, `${letter.sourceTopic || '—'}`, el('div', {class: 'note', text: `partition ${letter.sourcePartition ?? '—'}, offset ${letter.sourceOffset ?? '—'}`})),
          el('td', {}, el('strong', {text: exception, title: letter.exception || ''}), el('div', {class: 'error-message', text: letter.message || ''}),
            el('details', {open: opened.has(letter.id), ontoggle: e => { if (e.target.open) opened.add(letter.id); else opened.delete(letter.id); }},
              el('summary', {text: letter.redacted ? 'Lengths only (redacted)' : `Payload: ${letter.valueBytes} bytes, key ${letter.keyBytes} bytes`}),
              el('h4', {text: 'Value (hex)'}), el('pre', {text: hex(letter.valueBase64)}),
              el('h4', {text: 'Value (base64)'}), el('pre', {text: letter.valueBase64 || '(none)'}),
              el('h4', {text: 'Key (base64)'}), el('pre', {text: letter.keyBase64 || '(none)'}),
              letter.stackTrace ? el('h4', {text: 'Stack (top)'}) : null, letter.stackTrace ? el('pre', {text: letter.stackTrace}) : null)),
          el('td', {class: 'num', text: number(letter.valueBytes, 0)}),
          el('td', {text: letter.replayed ? 'replayed' : '—'}));
      });
      list.replaceChildren(el('p', {class: 'note', text: `${answer.topic}: ${number(answer.total, 0)} letters; the newest ${answer.letters.length} shown.`}),
        rows.length ? table(['', 'Letter', 'Stage', 'Failed on', 'Error', {label: 'Bytes', num: true}, 'Replayed'], rows,
          `Dead letters of ${pipeline}`) : el('p', {class: 'empty', text: 'No dead letters.'}));
    }
    every(15000, load);
  }

  function hex(base64) {
    if (!base64) return '(none)';
    const raw = atob(base64);
    const lines = [];
    for (let offset = 0; offset < raw.length; offset += 16) {
      const chunk = raw.substring(offset, offset + 16);
      const hexes = [...chunk].map(c => c.charCodeAt(0).toString(16).padStart(2, '0')).join(' ');
      const text = [...chunk].map(c => { const code = c.charCodeAt(0); return code >= 32 && code < 127 ? c : '.'; }).join('');
      lines.push(`${offset.toString(16).padStart(6, '0')}  ${hexes.padEnd(47)}  ${text}`);
    }
    return lines.join('\n');
  }

  async function topology(root, chosen) {
    const info = await api('/topology');
    const pipeline = chosen || (info[0] && info[0].pipeline);
    root.append(el('h2', {text: 'Topology'}),
      el('p', {class: 'note', text: 'Each sub-topology is the work of one task: from the topics it reads, through its processors and '
        + 'their stores, to the topics it writes. Rates are this instance\'s records per second at sources and sinks (Kafka Streams '
        + 'measures those at INFO level); record ages are the average time since the event at the nodes that report it.'}),
      el('nav', {class: 'tabs', 'aria-label': 'Pipelines'}, info.map(p => el('a', {href: `#/topology/${p.pipeline}`, text: p.pipeline,
        'aria-current': p.pipeline === pipeline ? 'page' : undefined}))),
      el('div', {class: 'legend', 'aria-hidden': 'true'}, [['source', '#e4f2e9'], ['processor', '#e8f0fb'], ['sink', '#fbefe1'],
        ['topic', '#fff'], ['repartition topic', '#f4ecfb']].map(([label, color]) => el('span', {}, el('i', {style: `background:${color}`}), label))));
    const described = info.find(p => p.pipeline === pipeline);
    if (!described) return;
    const graphs = el('div', {id: 'topology'});
    root.append(graphs);
    for (const sub of described.subtopologies) graphs.append(graph(`Sub-topology ${sub.id}`, sub.nodes));
    for (const global of described.globalStores) graphs.append(graph(`Global store ${global.id}`, global.nodes));
    root.append(el('details', {}, el('summary', {text: 'As Kafka Streams describes it'}), el('pre', {text: described.description})));
  }

  /** A sub-topology as a layered graph: topics read, then nodes by depth, then topics written. */
  function graph(title, nodes) {
    const SVG = 'http://www.w3.org/2000/svg';
    const items = new Map();
    nodes.forEach(n => items.set(n.name, Object.assign({kind: n.kind, label: n.name, depth: 0}, n)));
    for (const n of nodes) {
      if (n.kind === 'source') n.topics.forEach(t => items.set('topic:' + t, {kind: topicKind(t), label: t, successors: [n.name], depth: 0}));
    }
    for (const n of nodes) {
      if (n.kind === 'sink') n.topics.forEach(t => { 
        items.get(n.name).successors = ['topic:' + t];
        if (!items.has('topic:' + t)) items.set('topic:' + t, {kind: topicKind(t), label: t, successors: []});
      });
    }
    // depth: the longest path from a topic read
    for (let round = 0; round < items.size; round++) {
      let changed = false;
      for (const item of items.values()) {
        for (const next of item.successors || []) {
          const target = items.get(next);
          if (target && (target.depth === undefined || target.depth < (item.depth || 0) + 1)) { target.depth = (item.depth || 0) + 1; changed = true; }
        }
      }
      if (!changed) break;
    }
    const layers = [];
    for (const [key, item] of items) (layers[item.depth || 0] = layers[item.depth || 0] || []).push(key);
    const W = 230, H = 54, GAP_X = 24, GAP_Y = 34;
    const width = Math.max(...layers.map(l => (l || []).length)) * (W + GAP_X) + GAP_X;
    const height = layers.length * (H + GAP_Y) + GAP_Y;
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'topology');
    svg.setAttribute('width', width);
    svg.setAttribute('height', height);
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', `${title}: ${nodes.length} nodes, ` + nodes.map(n => `${n.kind} ${n.name}`).join(', '));
    const make = (tag, attrs, text) => {
      const node = document.createElementNS(SVG, tag);
      for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
      if (text !== undefined) node.textContent = text;
      return node;
    };
    const defs = make('defs', {});
    const marker = make('marker', {id: 'arrow', viewBox: '0 0 10 10', refX: '10', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto'});
    marker.append(make('path', {d: 'M0,0 L10,5 L0,10 z', fill: '#8794a3'}));
    defs.append(marker);
    svg.append(defs);
    const at = new Map();
    layers.forEach((layer, depth) => (layer || []).forEach((key, i) => at.set(key, {x: GAP_X + i * (W + GAP_X), y: GAP_Y / 2 + depth * (H + GAP_Y)})));
    for (const [key, item] of items) {
      for (const next of item.successors || []) {
        const a = at.get(key), b = at.get(next);
        if (!a || !b) continue;
        const x1 = a.x + W / 2, y1 = a.y + H, x2 = b.x + W / 2, y2 = b.y;
        svg.append(make('path', {class: 'edge', d: `M${x1},${y1} C${x1},${y1 + GAP_Y / 2} ${x2},${y2 - GAP_Y / 2} ${x2},${y2}`}));
      }
    }
    const short = (text, max) => text.length > max ? text.substring(0, max - 1) + '…' : text;
    for (const [key, item] of items) {
      const p = at.get(key);
      const g = make('g', {class: `node ${item.kind}`, transform: `translate(${p.x},${p.y})`, 'data-node': key, 'data-kind': item.kind});
      g.append(make('title', {}, item.label));
      g.append(make('rect', {width: W, height: H}));
      g.append(make('text', {x: 8, y: 16}, short(item.label, 34)));
      let line = 31;
      if (item.stores && item.stores.length) {
        g.append(make('text', {x: 8, y: line, class: 'store'}, short('store: ' + item.stores.join(', '), 36)));
        line += 14;
      }
      const measured = [];
      if (item.recordsPerSecond !== undefined && item.recordsPerSecond !== null) measured.push(`${number(item.recordsPerSecond)} rec/s`);
      if (item.recordAgeMs) measured.push(`age ${millis(item.recordAgeMs)}`);
      if (measured.length) g.append(make('text', {x: 8, y: Math.min(line, 48), class: 'rate'}, measured.join(' · ')));
      else if (item.kind === 'processor' && !(item.stores && item.stores.length)) g.append(make('text', {x: 8, y: 31, class: 'note'}, 'processor'));
      svg.append(g);
    }
    return el('section', {class: 'panel', style: 'margin-bottom:1rem'}, el('h3', {text: title}), el('div', {class: 'table-wrap'}, svg));
  }

  function topicKind(topic) {
    return topic.endsWith('-repartition') ? 'repartition' : 'topic';
  }

  async function clusterView(root) {
    root.append(el('h2', {text: 'Cluster'}), el('p', {class: 'note', text: 'Which instance runs which partitions of each pipeline '
      + '(active, and standby copies of its stores), and on this instance: changelogs still restoring and how far each local store '
      + 'copy is behind its changelog.'}));
    const body = el('div', {id: 'cluster'});
    root.append(body);
    every(5000, async () => {
      const info = await api('/cluster');
      body.replaceChildren(...info.map(p => el('section', {class: 'panel', style: 'margin-bottom:1rem', 'data-pipeline': p.pipeline},
        el('h3', {text: p.pipeline}),
        table(['Instance', {label: 'Active', num: true}, 'Active partitions', {label: 'Standby', num: true}, 'Standby partitions'],
          p.hosts.map(h => el('tr', {}, el('td', {text: h.host + (h.host === p.instance ? ' (this one)' : '')}),
            el('td', {class: 'num', text: h.activePartitions.length}), el('td', {class: 'note', text: partitions(h.activePartitions)}),
            el('td', {class: 'num', text: h.standbyPartitions.length}), el('td', {class: 'note', text: partitions(h.standbyPartitions)}))),
          `Partitions of ${p.pipeline} per instance`),
        el('h4', {text: 'Restoring here'}),
        p.restoring.length ? table(['Store', 'Changelog partition', 'Progress', 'ETA'], p.restoring.map(r => el('tr', {},
          el('td', {text: r.store}), el('td', {text: `${r.changelog}-${r.partition}`}),
          el('td', {}, el('div', {class: 'bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': r.total, 'aria-valuenow': r.restored},
            el('span', {style: `width:${r.total ? Math.round(100 * r.restored / r.total) : 100}%`})), `${number(r.restored, 0)} of ${number(r.total, 0)}`),
          el('td', {text: `${r.etaSeconds} s`}))), `Restores of ${p.pipeline}`) : el('p', {class: 'empty', text: 'Nothing restoring.'}),
        el('details', {}, el('summary', {text: `Store lag here (${p.localLags.length} store partitions, ${p.localLags.filter(l => l.offsetLag > 0).length} behind)`}),
          table(['Store', {label: 'Partition', num: true}, {label: 'Behind', num: true}, {label: 'Changelog end', num: true}],
            p.localLags.map(l => el('tr', {}, el('td', {text: l.store}), el('td', {class: 'num', text: l.partition}),
              el('td', {class: 'num', text: number(l.offsetLag, 0)}), el('td', {class: 'num', text: number(l.endOffset, 0)}))),
            `Store lag of ${p.pipeline}`)))));
    });
  }

  /** "fraud.decisions-0", "fraud.decisions-1" … as "fraud.decisions 0, 1 …", one topic per line. */
  function partitions(names) {
    const byTopic = new Map();
    for (const name of names) {
      const dash = name.lastIndexOf('-');
      const topic = name.substring(0, dash);
      byTopic.set(topic, (byTopic.get(topic) || []).concat(Number(name.substring(dash + 1))));
    }
    return [...byTopic].map(([topic, numbers]) => `${topic} ${numbers.sort((a, b) => a - b).join(', ')}`).join('; ') || '—';
  }

  // ---- routing

  async function route() {
    if (state.refused) return;
    state.cleanups.splice(0).forEach(cleanup => cleanup());
    const parts = (location.hash.replace(/^#\/?/, '') || '').split('/').filter(Boolean);
    const view = parts.join('/') || 'overview';
    state.view = view;
    const root = document.getElementById('page');
    root.replaceChildren();
    document.querySelectorAll('header nav a').forEach(a => {
      const target = a.getAttribute('href').replace(/^#\/?/, '');
      const current = target === '' ? view === 'overview' : view === target || view.startsWith(target + '/');
      if (current) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    });
    try {
      if (parts[0] === 'pipelines' && parts[1]) await pipelinePage(root, parts[1]);
      else if (parts[0] === 'dead-letters') await deadLetters(root, parts[1]);
      else if (parts[0] === 'topology') await topology(root, parts[1]);
      else if (parts[0] === 'cluster') await clusterView(root);
      else overview(root);
      const title = root.querySelector('h2');
      document.title = title && view !== 'overview' ? `${title.textContent} · Millrace` : 'Millrace';
    } catch (error) {
      if (error.message !== 'refused') root.append(el('p', {class: 'reason', role: 'alert', text: error.message}));
    }
  }

  async function start() {
    connect();
    try {
      state.pages = await api('/api/dashboard/pages');
      document.getElementById('page-links').replaceChildren(...state.pages.map(p =>
        el('a', {href: `#/pipelines/${p.pipeline}`, 'data-nav': `pipelines/${p.pipeline}`, text: p.title})));
      await loadHistory();
    } catch (error) {
      if (error.message === 'refused') return;
      console.warn(error.message);
    }
    window.addEventListener('hashchange', route);
    route();
  }

  start();

  return {
    /** A pipeline's page: {@code mount(element, context)} draws it; the context's timers, streams and charts end with the view. */
    definePage(pipeline, mount) {
      pageDefinitions.set(pipeline, mount);
    }
  };
})();
