// The search pipeline's page: a search box over the crawled pages (snippets come HTML-escaped from the API, with the
// query's terms in <b>), completions as one types, and the crawler's frontier in figures and over time.
'use strict';

Millrace.definePage('search', (root, m) => {
  const {el} = m;
  const KEPT_POINTS = 90;
  const input = el('input', {type: 'search', id: 'search-q', placeholder: 'Search the crawled pages', 'aria-label': 'Query',
    autocomplete: 'off', list: 'search-completions', style: 'width:60%'});
  const completions = el('datalist', {id: 'search-completions'});
  const results = el('div', {id: 'search-results', role: 'status'},
    el('p', {class: 'empty', text: 'Type a query: words, "12*7", or "10 km in miles".'}));
  const form = el('form', {role: 'search'}, input, completions, el('button', {type: 'submit', text: 'Search'}));
  const box = el('section', {class: 'panel'}, el('h3', {text: 'Search'}), form, results);
  const frontier = el('section', {class: 'panel', id: 'frontier'}, el('h3', {text: 'Crawler'}));
  const chartPanel = el('section', {class: 'panel'});
  root.append(box, el('div', {class: 'grid', style: 'margin-top:1rem'}, frontier, chartPanel));
  const progress = m.chart(chartPanel, {title: 'Frontier', unit: 'URLs',
    series: [{label: 'fetched', color: '#1f7a45'}, {label: 'queued', color: '#a0620f'}, {label: 'failed', color: '#b42323'}]});
  progress.element.dataset.chart = 'frontier';
  const points = [[], [], [], []];

  form.addEventListener('submit', async event => {
    event.preventDefault();
    const q = input.value.trim();
    if (!q) return;
    const answer = await m.api(`/api/search?q=${encodeURIComponent(q)}&size=10`);
    const parts = [];
    if (answer.instantAnswer) parts.push(el('p', {class: 'figure', id: 'instant-answer', text: answer.instantAnswer.text}));
    if (answer.didYouMean) {
      const link = el('a', {href: '#', text: answer.didYouMean});
      link.addEventListener('click', e => { e.preventDefault(); input.value = answer.didYouMean; form.requestSubmit(); });
      parts.push(el('p', {class: 'note'}, 'Did you mean ', link, '?'));
    }
    parts.push(el('p', {class: 'note', text: `${m.number(answer.total, 0)} pages match (${answer.status})`}));
    answer.results.forEach(r => {
      const snippet = el('p', {class: 'snippet'});
      snippet.innerHTML = r.snippet; // escaped by the API; only <b> is markup
      parts.push(el('article', {class: 'result'}, el('h4', {}, el('a', {href: r.url, text: r.title || r.url, rel: 'noopener'})),
        el('div', {class: 'note', text: `${r.url} · score ${r.score.toFixed(3)}`}), snippet));
    });
    results.replaceChildren(...parts);
  });

  input.addEventListener('input', async () => {
    const word = input.value.trim().split(/\s+/).pop() || '';
    if (!/^\p{L}{2,30}$/u.test(word)) return;
    const answer = await m.api(`/api/search/suggest?prefix=${encodeURIComponent(word)}&n=8`);
    const head = input.value.slice(0, input.value.lastIndexOf(word));
    completions.replaceChildren(...answer.result.map(c => el('option', {value: head + c.word})));
  });

  m.every(10000, async () => {
    const answer = (await m.api('/api/search/crawler')).result;
    const f = answer.frontier;
    frontier.replaceChildren(el('h3', {text: 'Crawler'}),
      el('div', {class: 'figures'}, m.figure('Connector', answer.connector.replaceAll('_', ' ').toLowerCase(), answer.tasks.join(', ').toLowerCase()),
        m.figure('Fetched', m.number(f.fetched, 0)), m.figure('Queued', m.number(f.queued, 0)),
        m.figure('Gone', m.number(f.gone, 0)), m.figure('Failed', m.number(f.failed, 0))),
      Object.keys(f.failures).length ? m.table(['Failure', {label: 'URLs', num: true}], Object.entries(f.failures).map(([reason, n]) =>
        el('tr', {}, el('td', {text: reason}), el('td', {class: 'num', text: m.number(n, 0)}))), 'Failures by reason')
        : el('p', {class: 'empty', text: 'No failed fetches.'}));
    [Date.now(), f.fetched, f.queued, f.failed].forEach((v, i) => { points[i].push(v); if (points[i].length > KEPT_POINTS) points[i].shift(); });
    progress.set(points);
  });
});
