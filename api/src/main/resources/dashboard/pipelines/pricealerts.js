// The price alerts' page: quotes in and alerts out per second over the last 15 minutes (this instance's tasks, from the
// pipeline's history), and the most-watched offers and searches of every instance with their best prices as they move
// (from the watch tallies and price boards, through /api/dashboard/figures), charted in US dollars since the page opened.
'use strict';

Millrace.definePage('pricealerts', (root, m) => {
  const {el} = m;
  const QUOTES = 'pricealerts.quotes';
  const ALERTS = 'pricealerts.notifications';
  const CHARTED = 5;
  // Each instance names its own eight most watched: the eight of them all are among those.
  const LEADERS = 8;
  const figures = el('div', {class: 'figures', id: 'pricealerts-figures'});
  const left = el('section', {class: 'panel'});
  const right = el('section', {class: 'panel', id: 'best-prices'});
  const leadersPanel = el('section', {class: 'panel', id: 'most-watched'}, el('h3', {text: 'Most watched, all instances'}),
    el('p', {class: 'empty', text: 'No watches yet.'}));
  root.append(el('section', {class: 'panel', style: 'margin-bottom:1rem'}, figures), el('div', {class: 'grid'}, left, right),
    el('div', {style: 'margin-top:1rem'}, leadersPanel));
  const traffic = m.chart(left, {title: 'Quotes in and alerts out per second, last 15 minutes', unit: 'per second',
    series: [{label: 'quotes in'}, {label: 'alerts out'}]});
  traffic.element.dataset.chart = 'quotes';
  const BEST_TITLE = 'Best price of the most watched, since this page opened';
  right.append(el('h3', {text: BEST_TITLE}), el('p', {class: 'empty', text: 'Waiting for the first watches…'}));

  // The targets charted are the most watched when they were first seen, so each line keeps its colour.
  let moves = null;
  const charted = [];
  const series = [[]];
  const seen = new Map(); // target → {first, last, moves, movedAt}
  let totals = {watches: null, targets: null};
  let status = '';

  const consumed = topic => p => (p.consumed && p.consumed[topic]) || 0;
  const produced = topic => p => (p.produced && p.produced[topic]) || 0;
  const dollars = cents => cents === undefined || cents === null ? '—' : `$${(cents / 100).toFixed(2)}`;

  function draw() {
    traffic.set(m.history(consumed(QUOTES), produced(ALERTS)));
    const points = m.points();
    const latest = points[points.length - 1] || {};
    const stepSeconds = points.length > 1 ? (points[1].at - points[0].at) / 1000 : 5;
    const fired = points.reduce((sum, p) => sum + produced(ALERTS)(p) * stepSeconds, 0);
    figures.replaceChildren(
      m.figure('Quotes in', m.number(consumed(QUOTES)(latest)), 'per second'),
      m.figure('Alerts out', m.number(produced(ALERTS)(latest)), 'per second'),
      m.figure('Alerts fired', m.number(fired, 0), 'last 15 minutes'),
      m.figure('Watches', m.number(totals.watches, 0), status),
      m.figure('Watched', m.number(totals.targets, 0), 'offers and searches'));
  }

  function leaders(result) {
    return Object.entries(result).filter(([name]) => name.startsWith('watched:'))
      .map(([name, watches]) => {
        const target = name.substring('watched:'.length);
        return {target, watches, best: result['best:' + target]};
      })
      .sort((a, b) => b.watches - a.watches || a.target.localeCompare(b.target))
      .slice(0, LEADERS);
  }

  function follow(now, top) {
    for (const leader of top) {
      const known = seen.get(leader.target);
      if (!known) {
        seen.set(leader.target, {first: leader.best, last: leader.best, moves: 0, movedAt: null});
      } else if (leader.best !== known.last) {
        known.moves++;
        known.movedAt = now;
        known.last = leader.best;
      }
    }
    if (!moves && top.length) {
      right.replaceChildren();
      top.slice(0, CHARTED).forEach(leader => charted.push(leader.target));
      moves = m.chart(right, {title: BEST_TITLE, unit: 'US dollars', series: charted.map(target => ({label: target}))});
      moves.element.dataset.chart = 'best-prices';
      charted.forEach(() => series.push([]));
    }
    if (moves) {
      const best = new Map(top.map(leader => [leader.target, leader.best]));
      series[0].push(now);
      // A target with no live price (or no longer among the leaders) leaves a gap.
      charted.forEach((target, i) => {
        const cents = best.get(target);
        series[i + 1].push(cents === undefined ? null : cents / 100);
      });
      while (series[0].length > 180) series.forEach(s => s.shift());
      moves.set(series);
    }
  }

  function table(top) {
    if (!top.length) return;
    leadersPanel.replaceChildren(el('h3', {text: 'Most watched, all instances'}),
      m.table(['Offer or search', {label: 'Watches', num: true}, {label: 'Best now', num: true},
        {label: 'When first seen', num: true}, {label: 'Moves', num: true}, 'Last move'], top.map(leader => {
        const known = seen.get(leader.target);
        return el('tr', {'data-target': leader.target}, el('td', {text: leader.target}),
          el('td', {class: 'num', text: m.number(leader.watches, 0)}),
          el('td', {class: 'num', text: leader.best === undefined ? 'no live price' : dollars(leader.best)}),
          el('td', {class: 'num', text: dollars(known.first)}), el('td', {class: 'num', text: m.number(known.moves, 0)}),
          el('td', {text: known.movedAt ? m.time(known.movedAt) : '—'}));
      }), 'The most-watched offers and searches with their best live prices'));
  }

  m.onPoint(draw);
  m.every(5000, async () => {
    const answer = await m.api('/api/dashboard/figures?pipeline=pricealerts');
    totals = answer.result;
    status = answer.status === 'COMPLETE' ? 'all instances' : `partial: ${answer.failedHosts.join(', ')} did not answer`;
    const top = leaders(answer.result);
    follow(Date.now(), top);
    table(top);
    draw();
  });
});
