// The messenger's page: messages in and deliveries out per second over the last 15 minutes (this instance's tasks, from
// the pipeline's history), users online now (the presence store of every instance), and offline notifications sent.
'use strict';

Millrace.definePage('messenger', (root, m) => {
  const {el} = m;
  const MESSAGES = 'messenger.messages';
  const DELIVERIES = 'messenger.deliveries';
  const NOTIFICATIONS = 'messenger.notifications';
  const figures = el('div', {class: 'figures', id: 'messenger-figures'});
  const left = el('section', {class: 'panel'});
  const right = el('section', {class: 'panel'});
  root.append(el('section', {class: 'panel', style: 'margin-bottom:1rem'}, figures), el('div', {class: 'grid'}, left, right));
  const traffic = m.chart(left, {title: 'Messages and deliveries per second, last 15 minutes', unit: 'per second',
    series: [{label: 'messages in'}, {label: 'deliveries out'}, {label: 'notifications out'}]});
  traffic.element.dataset.chart = 'traffic';
  const presence = m.chart(right, {title: 'Users online (since this page opened)', unit: 'users', series: [{label: 'online'}]});
  presence.element.dataset.chart = 'online';
  const online = [[], []];
  let users = {onlineUsers: null, knownUsers: null};
  let status = '';

  const consumed = topic => p => (p.consumed && p.consumed[topic]) || 0;
  const produced = topic => p => (p.produced && p.produced[topic]) || 0;

  function draw() {
    traffic.set(m.history(consumed(MESSAGES), produced(DELIVERIES), produced(NOTIFICATIONS)));
    const points = m.points();
    const latest = points[points.length - 1] || {};
    const stepSeconds = points.length > 1 ? (points[1].at - points[0].at) / 1000 : 5;
    const notified = points.reduce((sum, p) => sum + produced(NOTIFICATIONS)(p) * stepSeconds, 0);
    figures.replaceChildren(
      m.figure('Users online', m.number(users.onlineUsers, 0), status),
      m.figure('Users seen', m.number(users.knownUsers, 0), 'with a presence'),
      m.figure('Messages in', m.number(consumed(MESSAGES)(latest)), 'per second'),
      m.figure('Deliveries out', m.number(produced(DELIVERIES)(latest)), 'per second'),
      m.figure('Notifications sent', m.number(notified, 0), 'last 15 minutes'));
  }

  m.onPoint(draw);
  m.every(5000, async () => {
    const answer = await m.api('/api/dashboard/figures?pipeline=messenger');
    users = answer.result;
    status = answer.status === 'COMPLETE' ? 'all instances' : `partial: ${answer.failedHosts.join(', ')} did not answer`;
    online[0].push(Date.now());
    online[1].push(users.onlineUsers);
    presence.set(online);
    draw();
  });
});
