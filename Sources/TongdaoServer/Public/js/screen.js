// The big screen (/screen): keeps the rolling list of events live from GET /live (Server-Sent
// Events) and, after each change, swaps in the panels redrawn by the server (/screen/panels).
// EventSource reconnects by itself after a dropped connection; if the server answered with an
// error instead (a restart behind a proxy), a new EventSource is made after a pause.
(function () {
  'use strict';
  var list = document.getElementById('screen-events');
  var panels = document.getElementById('screen-panels');
  var state = document.getElementById('screen-state');
  var clock = document.getElementById('screen-clock');
  if (!list || !panels) { return; }
  // How many events the list holds: fewer when the Delta map sits under it.
  var shown = Number(list.dataset.shown) || 12;
  // A screen narrowed to one district (/screen?district=…) asks the same of the feed and the panels.
  var narrowed = panels.dataset.district ? '?district=' + encodeURIComponent(panels.dataset.district) : '';

  function row(item, fresh) {
    var li = document.createElement('li');
    li.className = 'screen-event kind-' + item.kind + (fresh ? ' fresh' : '');
    li.dataset.id = item.id;
    var parts = [
      ['screen-event-time', item.dayLabel],
      ['screen-event-kind', item.kindLabel],
      ['screen-event-what', item.districtName + ' · ' + item.productName + '（' + item.applicationNumber + '）']
    ];
    parts.forEach(function (part) {
      var span = document.createElement('span');
      span.className = part[0];
      span.textContent = part[1];
      li.appendChild(span);
    });
    // The day the event happened is shown; when it was recorded, on hovering.
    li.firstChild.title = '记录于 ' + item.recordedAt;
    return li;
  }

  function clearEmpty() {
    var empty = document.getElementById('screen-events-empty');
    if (empty) { empty.remove(); }
  }

  // /screen/panels answers each redrawn part as a <div data-part="id">: its content replaces that of the
  // page's element with that id (the panels, and the Delta map beside the events).
  function redraw(html) {
    var template = document.createElement('template');
    template.innerHTML = html;
    template.content.querySelectorAll('[data-part]').forEach(function (part) {
      var target = document.getElementById(part.dataset.part);
      if (target) { target.replaceChildren.apply(target, Array.from(part.childNodes)); }
    });
  }

  var pending = null;
  function refreshPanels() {
    if (pending) { return; }
    pending = setTimeout(function () {
      pending = null;
      fetch('/screen/panels' + narrowed, { credentials: 'same-origin', cache: 'no-store' })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) { if (html) { redraw(html); } })
        .catch(function () { /* the next change or reconnection tries again */ });
    }, 500);
  }

  var source = null;
  function connect() {
    source = new EventSource('/live' + narrowed);
    source.addEventListener('open', function () {
      state.textContent = '实时连接';
      state.className = 'screen-state live';
    });
    source.addEventListener('recent', function (message) {
      var items = JSON.parse(message.data).slice(0, shown);
      list.replaceChildren.apply(list, items.map(function (item) { return row(item, false); }));
      if (items.length) { clearEmpty(); }
      refreshPanels();
    });
    source.addEventListener('notice', function (message) {
      var item = JSON.parse(message.data);
      if (list.querySelector('[data-id="' + item.id + '"]')) { return; }
      clearEmpty();
      list.insertBefore(row(item, true), list.firstChild);
      while (list.children.length > shown) { list.removeChild(list.lastChild); }
      refreshPanels();
    });
    source.addEventListener('error', function () {
      state.textContent = '连接中断，正在重连…';
      state.className = 'screen-state lost';
      if (source.readyState === EventSource.CLOSED) {
        setTimeout(connect, 3000);
      }
    });
  }
  connect();

  setInterval(function () {
    var now = new Date(Date.now() + 8 * 3600 * 1000);
    clock.textContent = now.toISOString().slice(11, 19);
  }, 1000);
})();
