// Live view of the pipelines on this instance, fed by server-sent events from /api/dashboard/stream.
const history = new Map();
const HISTORY = 60;
const fmt = new Intl.NumberFormat('en', {maximumFractionDigits: 1});

function sparkline(values) {
  const max = Math.max(1, ...values);
  const step = 160 / Math.max(1, HISTORY - 1);
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(27 - (v / max) * 25).toFixed(1)}`).join(' ');
  return `<svg class="spark" viewBox="0 0 160 28"><polyline points="${points}"/></svg>`;
}

function cell(text, cls) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}

function render(snapshot) {
  const body = document.querySelector('#pipelines tbody');
  body.replaceChildren();
  document.getElementById('empty').hidden = snapshot.pipelines.length > 0;
  for (const p of snapshot.pipelines) {
    const series = history.get(p.name) || [];
    series.push(p.recordsPerSecond);
    while (series.length > HISTORY) series.shift();
    history.set(p.name, series);
    const row = document.createElement('tr');
    row.dataset.pipeline = p.name;
    // A pipeline that Kafka Streams calls RUNNING may still be stuck: the platform's verdict wins, with its reason.
    const state = p.status === 'DEGRADED' ? 'DEGRADED' : p.state;
    const stateCell = cell(state, 'state-' + state);
    if (p.reason) stateCell.title = p.reason;
    row.append(cell(p.name), stateCell, cell(fmt.format(p.recordsPerSecond)),
      cell(fmt.format(p.recordsTotal)), cell(`${fmt.format(p.e2eLatencyAvgMs)} / ${fmt.format(p.e2eLatencyMaxMs)}`),
      cell(p.consumerLag < 0 ? '—' : fmt.format(p.consumerLag)), cell(String(p.deadLetters), p.deadLetters > 0 ? 'dead' : ''));
    const spark = document.createElement('td');
    spark.innerHTML = sparkline(series);
    row.append(spark);
    body.append(row);
  }
}

function connect() {
  const badge = document.getElementById('connection');
  const source = new EventSource('/api/dashboard/stream');
  source.addEventListener('stats', e => {
    badge.textContent = 'live';
    badge.className = 'badge live';
    render(JSON.parse(e.data));
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

function signIn(status) {
  const badge = document.getElementById('connection');
  badge.textContent = status === 401 ? 'signed out' : 'not allowed';
  badge.className = 'badge refused';
  const notice = document.getElementById('sign-in');
  notice.hidden = false;
  notice.querySelector('.why').textContent = status === 401
    ? 'The dashboard needs an operator token. Create one with "millrace token --user <you> --role operator" and open /login?token=<token>.'
    : 'Your token does not carry the operator role, which the dashboard needs.';
}

connect();
