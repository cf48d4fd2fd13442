// The fraud pipeline's page: the decision mix over the last 15 minutes, the reasons given, and the decisions sent to
// review as they are made (pushed by the decisions stream; cards by token and last four digits only).
'use strict';

Millrace.definePage('fraud', (root, m) => {
  const {el} = m;
  const KEPT_REVIEWS = 50;
  const mixPanel = el('section', {class: 'panel'});
  const reasons = el('section', {class: 'panel', id: 'reasons'}, el('h3', {text: 'Reasons, last 15 minutes'}));
  const reviews = el('tbody', {});
  const desk = el('section', {class: 'panel', id: 'reviews'}, el('h3', {text: 'Sent to review, as they are decided'}),
    el('p', {class: 'note', id: 'review-status', role: 'status', text: 'Waiting for the next decision sent to review…'}),
    el('div', {class: 'table-wrap'}, el('table', {},
      el('caption', {class: 'visually-hidden', text: 'Decisions sent to review'}),
      el('thead', {}, el('tr', {}, ['Decided', 'Transaction', 'Card', 'Amount', 'Merchant', 'Score', 'Reasons']
        .map(h => el('th', {scope: 'col', text: h})))), reviews)));
  root.append(el('div', {class: 'grid'}, mixPanel, reasons), el('div', {style: 'margin-top:1rem'}, desk));
  const mix = m.chart(mixPanel, {title: 'Decisions per 30 seconds, last 15 minutes', unit: 'decisions',
    series: [{label: 'approve', color: '#1f7a45'}, {label: 'decline', color: '#b42323'}, {label: 'review', color: '#a0620f'}]});
  mix.element.dataset.chart = 'decisions';

  m.every(10000, async () => {
    const series = (await m.api('/api/fraud/stats/series?window=15m&step=30s')).result;
    mix.set([series.steps.map(s => s.start), series.steps.map(s => s.approvals), series.steps.map(s => s.declines),
      series.steps.map(s => s.reviews)]);
  });

  m.every(10000, async () => {
    const stats = (await m.api('/api/fraud/stats?window=15m')).result;
    const top = Math.max(1, ...stats.topReasons.map(r => r.count));
    reasons.replaceChildren(el('h3', {text: 'Reasons, last 15 minutes'}),
      el('div', {class: 'figures'}, m.figure('Decisions', m.number(stats.total, 0)), m.figure('Approved', m.number(stats.approvals, 0)),
        m.figure('Declined', m.number(stats.declines, 0), `${m.number(100 * stats.declineRate)} %`), m.figure('Review', m.number(stats.reviews, 0))),
      stats.topReasons.length ? m.table(['Reason', {label: 'Decisions', num: true}, ''], stats.topReasons.map(r => el('tr', {},
        el('td', {text: r.reason}), el('td', {class: 'num', text: m.number(r.count, 0)}),
        el('td', {style: 'width:40%'}, el('div', {class: 'bar', 'aria-hidden': 'true'}, el('span', {style: `width:${Math.round(100 * r.count / top)}%`}))))),
        'Reasons given') : el('p', {class: 'empty', text: 'No reasons given yet: every decision was a clean approval.'}));
  });

  m.subscribe('/api/fraud/decisions/events?outcome=REVIEW', {
    decision: d => {
      document.getElementById('review-status').textContent = `Latest review: ${m.time(d.decidedAt)}`;
      reviews.prepend(el('tr', {'data-transaction': d.transactionId}, el('td', {text: m.time(d.decidedAt)}), el('td', {text: d.transactionId}),
        el('td', {text: d.card || '—', title: `token ${d.cardToken}`}),
        el('td', {class: 'num', text: `${(d.amount / 100).toFixed(2)} ${d.currency}`}), el('td', {text: d.merchantId}),
        el('td', {class: 'num', text: d.score.toFixed(2)}), el('td', {text: d.reasons.join(', ')})));
      while (reviews.children.length > KEPT_REVIEWS) reviews.lastChild.remove();
    }
  });
});
