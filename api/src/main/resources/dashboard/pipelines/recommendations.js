// The recommendations' page: interactions in and feed updates out per second over the last 15 minutes (this instance's
// tasks, from the pipeline's history), users active lately (every instance), the items trending now in each category
// (from the global trending lists, any instance) and how fresh the feeds this instance served are: the age of the newest
// item of each feed served in the last minute, charted since the page opened.
'use strict';

Millrace.definePage('recommendations', (root, m) => {
  const {el} = m;
  const INTERACTIONS = 'recommendations.interactions';
  const UPDATES = 'recommendations.feed-updates';
  const PER_CATEGORY = 3;
  const figures = el('div', {class: 'figures', id: 'recommendations-figures'});
  const left = el('section', {class: 'panel'});
  const right = el('section', {class: 'panel'});
  const trendingPanel = el('section', {class: 'panel', id: 'trending-now'}, el('h3', {text: 'Trending now, per category'}),
    el('p', {class: 'empty', text: 'Nothing trending yet.'}));
  root.append(el('section', {class: 'panel', style: 'margin-bottom:1rem'}, figures), el('div', {class: 'grid'}, left, right),
    el('div', {style: 'margin-top:1rem'}, trendingPanel));
  const traffic = m.chart(left, {title: 'Interactions in and feed updates out per second, last 15 minutes', unit: 'per second',
    series: [{label: 'interactions in'}, {label: 'feed updates out'}]});
  traffic.element.dataset.chart = 'interactions';
  const freshnessChart = m.chart(right, {title: 'Age of the newest item in feeds served (this instance, since this page opened)',
    unit: 'seconds', series: [{label: 'median'}, {label: 'oldest'}]});
  freshnessChart.element.dataset.chart = 'freshness';
  const ages = [[], [], []];
  let users = {activeUsers: null, profiles: null};
  let freshness = {lastMinute: null, medianNewestAgeSeconds: null};
  let status = '';

  const consumed = topic => p => (p.consumed && p.consumed[topic]) || 0;
  const produced = topic => p => (p.produced && p.produced[topic]) || 0;

  function draw() {
    traffic.set(m.history(consumed(INTERACTIONS), produced(UPDATES)));
    const points = m.points();
    const latest = points[points.length - 1] || {};
    figures.replaceChildren(
      m.figure('Interactions in', m.number(consumed(INTERACTIONS)(latest)), 'per second'),
      m.figure('Feed updates out', m.number(produced(UPDATES)(latest)), 'per second'),
      m.figure('Active users', m.number(users.activeUsers, 0), status),
      m.figure('Profiles', m.number(users.profiles, 0), 'users with interests'),
      m.figure('Feed freshness', freshness.lastMinute ? m.number(freshness.medianNewestAgeSeconds, 0) : '—',
        `median age (s) of the newest item, ${m.number(freshness.lastMinute, 0)} feeds in the last minute`));
  }

  function trending(items) {
    const byCategory = new Map();
    for (const entry of items) {
      const list = byCategory.get(entry.item.category) || [];
      if (list.length < PER_CATEGORY) list.push(entry);
      byCategory.set(entry.item.category, list);
    }
    if (!byCategory.size) return;
    const rows = [...byCategory.entries()].sort((a, b) => a[0].localeCompare(b[0])).flatMap(([category, list]) =>
      list.map((entry, i) => el('tr', {'data-category': category}, el('td', {text: i === 0 ? category : ''}),
        el('td', {text: entry.item.title}), el('td', {text: entry.item.author}),
        el('td', {class: 'num', text: m.number(entry.score, 1)}), el('td', {text: m.time(entry.item.publishedAt)}))));
    trendingPanel.replaceChildren(el('h3', {text: 'Trending now, per category'}),
      m.table(['Category', 'Item', 'Author', {label: 'Score', num: true}, 'Published'], rows,
        `The ${PER_CATEGORY} items trending most in each category; scores halve every two hours without interactions`));
  }

  m.onPoint(draw);
  m.every(5000, async () => {
    const answer = await m.api('/api/dashboard/figures?pipeline=recommendations');
    users = answer.result;
    status = answer.status === 'COMPLETE' ? 'all instances' : `partial: ${answer.failedHosts.join(', ')} did not answer`;
    freshness = await m.api('/api/recommendations/freshness');
    ages[0].push(Date.now());
    ages[1].push(freshness.lastMinute ? freshness.medianNewestAgeSeconds : null);
    ages[2].push(freshness.lastMinute ? freshness.maxNewestAgeSeconds : null);
    while (ages[0].length > 180) ages.forEach(s => s.shift());
    freshnessChart.set(ages);
    trending((await m.api('/api/recommendations/trending?limit=100')).items);
    draw();
  });
});
