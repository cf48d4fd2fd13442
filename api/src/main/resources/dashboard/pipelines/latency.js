// The latency pipeline's page: p50 and p99 per service over the last hour (one-minute windows), the SLO alerts firing
// now (pushed as they fire and resolve), and the slowest endpoints of the latest closed five-minute window.
'use strict';

Millrace.definePage('latency', (root, m) => {
  const {el} = m;
  const SHOWN_SERVICES = 6;
  const ms = micros => micros / 1000;
  const charts = el('div', {class: 'grid'});
  const alerts = el('section', {class: 'panel', id: 'alerts'}, el('h3', {text: 'Firing alerts'}));
  const slowest = el('section', {class: 'panel', id: 'slowest'}, el('h3', {text: 'Slowest endpoints'}));
  root.append(el('p', {class: 'note', text: 'Percentiles come from each minute\'s HdrHistogram sketch; the newest minute is still open '
    + 'and moves until it closes (30 s after its end).'}), charts, el('div', {class: 'grid', style: 'margin-top:1rem'}, alerts, slowest));
  let shown = '';
  let p50 = null;
  let p99 = null;

  async function services() {
    const [known, slow] = await Promise.all([m.api('/api/latency/services'), m.api('/api/latency/slowest?n=100&window=1m')]);
    const byP99 = new Map();
    known.result.forEach(s => byP99.set(s.service, s.p99Micros));
    slow.result.forEach(e => byP99.set(e.service, Math.max(byP99.get(e.service) || 0, e.p99Micros)));
    return [...byP99.entries()].sort((a, b) => b[1] - a[1]).slice(0, SHOWN_SERVICES).map(e => e[0]).sort();
  }

  async function percentiles() {
    const names = await services();
    if (names.length === 0) {
      charts.replaceChildren(el('p', {class: 'empty', text: 'No latency samples yet.'}));
      return;
    }
    if (names.join() !== shown) {
      shown = names.join();
      const left = el('section', {class: 'panel'});
      const right = el('section', {class: 'panel'});
      charts.replaceChildren(left, right);
      const series = names.map(name => ({label: name}));
      p99 = m.chart(left, {title: `p99 per service (the ${names.length} slowest), one-minute windows`, unit: 'ms', series});
      p50 = m.chart(right, {title: 'p50 per service, one-minute windows', unit: 'ms', series});
      p99.element.dataset.chart = 'p99';
      p50.element.dataset.chart = 'p50';
    }
    const answers = await Promise.all(names.map(name => m.api(`/api/latency/services/${encodeURIComponent(name)}?window=1m`)
      .catch(error => { if (error.message === 'refused') throw error; return {points: []}; })));
    const times = [...new Set(answers.flatMap(a => a.points.map(p => p.windowStart)))].sort((a, b) => a - b);
    const column = (answer, pick) => {
      const byStart = new Map(answer.points.map(p => [p.windowStart, pick(p)]));
      return times.map(t => byStart.has(t) ? byStart.get(t) : null);
    };
    p99.set([times, ...answers.map(a => column(a, p => ms(p.p99Micros)))]);
    p50.set([times, ...answers.map(a => column(a, p => ms(p.p50Micros)))]);
  }

  async function firing() {
    const answer = await m.api('/api/latency/alerts?state=FIRING');
    alerts.replaceChildren(el('h3', {text: `Firing alerts (${answer.result.length})`}), answer.result.length
      ? m.table(['Service', 'Endpoint', 'Why', {label: 'p99', num: true}, {label: 'Errors', num: true}, 'Since'],
        answer.result.map(a => el('tr', {}, el('td', {text: a.service}), el('td', {text: a.endpoint || 'all'}), el('td', {text: a.reason}),
          el('td', {class: 'num', text: `${m.number(ms(a.p99Micros))} ms`}), el('td', {class: 'num', text: `${m.number(100 * a.errorRate)} %`}),
          el('td', {text: m.time(a.firingSince)}))), 'Alerts firing now')
      : el('p', {class: 'empty', text: 'No SLO is breached.'}));
  }

  async function slowestEndpoints() {
    const answer = await m.api('/api/latency/slowest?n=10&window=5m');
    slowest.replaceChildren(el('h3', {text: 'Slowest endpoints (latest five-minute window)'}), answer.result.length
      ? m.table(['Service', 'Endpoint', {label: 'p50', num: true}, {label: 'p99', num: true}, {label: 'Requests', num: true}, {label: 'Errors', num: true}],
        answer.result.map(e => el('tr', {}, el('td', {text: e.service}), el('td', {text: e.endpoint}),
          el('td', {class: 'num', text: `${m.number(ms(e.p50Micros))} ms`}), el('td', {class: 'num', text: `${m.number(ms(e.p99Micros))} ms`}),
          el('td', {class: 'num', text: m.number(e.count, 0)}), el('td', {class: 'num', text: `${m.number(100 * e.errorRate)} %`}))),
        'Slowest endpoints')
      : el('p', {class: 'empty', text: 'No endpoint measured yet.'}));
  }

  m.every(15000, percentiles);
  m.every(15000, slowestEndpoints);
  m.every(30000, firing);
  m.subscribe('/api/latency/alerts/events', {alert: () => firing().catch(() => {})});
});
