// Kinline staff console. Each screen's data comes from the admin API with the session cookie; the API
// applies roles, facility scope and the privileged-call rule. Text is always set with textContent, never
// parsed as HTML. State-changing requests carry the session's anti-CSRF token (X-CSRF-Token).
'use strict';
(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const body = document.body;
  const page = body.dataset.page;
  const role = body.dataset.role;
  const param = body.dataset.param;
  const view = document.getElementById('view');
  const statusEl = document.getElementById('status');

  async function api(method, path, payload, extraHeaders) {
    const headers = Object.assign({ Accept: 'application/json' }, extraHeaders || {});
    if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
    const opts = { method, headers, credentials: 'same-origin' };
    if (payload !== undefined) {
      headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(payload);
    }
    const r = await fetch(path, opts);
    if (r.status === 401) {
      location.href = '/console/login';
      throw new Error('Your session has ended: sign in again.');
    }
    const data = r.status === 204 ? null : await r.json().catch(() => null);
    if (!r.ok) {
      const e = new Error((data && data.detail) || ('HTTP ' + r.status));
      e.field = data && data.field;
      e.status = r.status;
      throw e;
    }
    return data;
  }

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const k of kids) if (k !== null && k !== undefined) e.append(k);
    return e;
  }

  function say(msg, bad) {
    statusEl.textContent = msg || '';
    statusEl.className = bad ? 'error' : '';
  }

  function fmt(v) {
    if (v === null || v === undefined) return '';
    if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v)) return v.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
    if (Array.isArray(v)) return v.join(', ');
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  }

  // columns: [key, label] or [key, label, (row) => Node|string]
  function table(caption, columns, rows) {
    if (!rows.length) return el('p', { class: 'hint', text: 'Nothing to show.' });
    const head = el('tr', {}, ...columns.map(c => el('th', { scope: 'col', text: c[1] })));
    const trs = rows.map(r => el('tr', {}, ...columns.map(c => {
      const v = c[2] ? c[2](r) : fmt(r[c[0]]);
      return el('td', {}, typeof v === 'string' ? document.createTextNode(v) : v);
    })));
    return el('table', {}, el('caption', { class: 'hint', text: caption }), el('thead', {}, head), el('tbody', {}, ...trs));
  }

  function show(...nodes) {
    view.replaceChildren(...nodes);
  }

  // Each list is drawn by the answer to the latest request only: an earlier, slower answer (the first load,
  // a double click) must not replace a newer one.
  let generation = 0;
  function fresh() {
    const g = ++generation;
    return () => g === generation;
  }

  // Query parameters from a filter form: blanks dropped, datetime-local read as UTC.
  function params(form) {
    const p = new URLSearchParams();
    for (const input of form.querySelectorAll('input, select')) {
      const v = input.value.trim();
      if (!v || !input.name || input.type === 'hidden') continue;
      p.set(input.name, input.type === 'datetime-local' ? new Date(v + 'Z').toISOString() : v);
    }
    return p;
  }

  function clearErrors(form) {
    form.querySelectorAll('.field-error').forEach(n => n.remove());
    form.querySelectorAll('[aria-invalid]').forEach(n => { n.removeAttribute('aria-invalid'); n.removeAttribute('aria-describedby'); });
  }

  // A validation problem names its field: show it next to that field.
  function fail(form, e) {
    const input = form && e.field ? (form.querySelector('[name="' + CSS.escape(e.field) + '"]')
      || form.querySelector('[name="' + CSS.escape(e.field.split('.')[0]) + '"]')) : null;
    if (input) {
      const id = input.id + '-error';
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', id);
      input.after(el('span', { class: 'field-error', id, role: 'alert', text: e.message }));
      input.focus();
    }
    say(e.message, true);
  }

  function onSubmit(id, fn) {
    const form = document.getElementById(id);
    if (!form) return null;
    form.addEventListener('submit', async ev => {
      ev.preventDefault();
      clearErrors(form);
      say('Working…');
      try {
        await fn(form);
      } catch (e) {
        fail(form, e);
      }
    });
    return form;
  }

  const callLink = r => (role === 'admin' || role === 'investigator')
    ? el('a', { href: '/console/calls/' + encodeURIComponent(r.callId), text: r.callId }) : document.createTextNode(r.callId);

  // ---- live calls, with listening over the admin WebSocket ----
  let listening = null;
  function listen(call) {
    if (listening) listening.stop();
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(proto + '//' + location.host + '/api/calls/' + encodeURIComponent(call.callId) + '/listen');
    ws.binaryType = 'arraybuffer';
    const ctx = new (window.AudioContext || window.webkitAudioContext)();
    let rate = 8000;
    let next = 0;
    let frames = 0;
    const counter = document.getElementById('listen-frames');
    document.getElementById('listen-call').textContent = call.callId;
    document.getElementById('listener').hidden = false;
    counter.textContent = '0';
    ws.onmessage = m => {
      if (typeof m.data === 'string') {
        try { rate = JSON.parse(m.data).sampleRate || rate; } catch (e) { /* keep the default */ }
        return;
      }
      const pcm = new Int16Array(m.data);
      const buf = ctx.createBuffer(1, pcm.length, rate);
      const ch = buf.getChannelData(0);
      for (let i = 0; i < pcm.length; i++) ch[i] = pcm[i] / 32768;
      const src = ctx.createBufferSource();
      src.buffer = buf;
      src.connect(ctx.destination);
      next = Math.max(next, ctx.currentTime + 0.1);
      src.start(next);
      next += buf.duration;
      counter.textContent = String(++frames);
    };
    ws.onclose = ev => {
      say('Listening ended: ' + (ev.reason || 'closed') + '.');
      ctx.close();
      if (listening && listening.ws === ws) listening = null;
    };
    ws.onerror = () => say('Cannot listen to this call.', true);
    listening = { ws, stop: () => ws.close(1000, 'stopped') };
    say('Listening to ' + call.callId + '.');
  }

  async function live() {
    const d = await api('GET', '/api/calls');
    const now = Date.now();
    show(table(d.count + ' live calls', [
      ['callId', 'Call', callLink], ['facility', 'Facility'], ['station', 'Station'], ['inmateId', 'Inmate'],
      ['dialed', 'Number'], ['state', 'State'],
      ['startedAt', 'Duration', r => { const s = Math.round((now - Date.parse(r.startedAt)) / 1000); return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0'); }],
      ['listen', 'Listen', r => r.state === 'talking' && !r.privileged
        ? el('button', { type: 'button', class: 'listen', 'data-call': r.callId, 'aria-label': 'Listen to call ' + r.callId, text: 'Listen', onclick: () => listen(r) })
        : (r.privileged ? 'privileged' : '')]
    ], d.calls));
    say('');
  }

  // ---- call search, pagination (older calls before the last shown) and CSV export ----
  let lastSearch = null;
  let searches = 0;
  async function search(form, before) {
    const p = params(form);
    if (before) p.set('to', before);
    p.set('limit', '50');
    const mine = ++searches;
    const d = await api('GET', '/api/cdrs?' + p);
    if (mine !== searches) return; // a newer search was started meanwhile: its answer is the one to show
    lastSearch = d.cdrs;
    show(table(d.count + ' calls' + (before ? ' before ' + fmt(before) : ''), [
      ['callId', 'Call', callLink], ['startedAt', 'Started'], ['facility', 'Facility'], ['station', 'Station'],
      ['inmateId', 'Inmate'], ['dialed', 'Number'], ['btn', 'BTN'], ['outcome', 'Outcome'], ['reason', 'Reason'],
      ['billedSeconds', 'Seconds'], ['charge', 'Charge'],
      ['recorded', 'Recording', r => r.recorded ? 'yes' : '']
    ], d.cdrs));
    document.getElementById('older').hidden = d.cdrs.length < 50;
    say('');
  }

  async function exportCsv(form) {
    const rows = [];
    let to = null;
    for (let i = 0; i < 20; i++) {
      const p = params(form);
      if (to) p.set('to', to);
      p.set('limit', '500');
      const d = await api('GET', '/api/cdrs?' + p);
      rows.push(...d.cdrs);
      if (d.cdrs.length < 500) break;
      to = d.cdrs[d.cdrs.length - 1].startedAt;
    }
    const cols = ['callId', 'startedAt', 'endedAt', 'facility', 'station', 'inmateId', 'dialed', 'btn', 'outcome',
      'reason', 'billedSeconds', 'charge', 'privileged', 'recorded', 'recordingSha256', 'recordingGapFramesInmate',
      'recordingGapFramesCalled', 'recordingLateFrames'];
    // A cell starting with = + - @ is read as a formula by spreadsheets: prefix it with a quote.
    const cell = v => { let s = v === null || v === undefined ? '' : String(v); if (/^[=+\-@\t\r]/.test(s)) s = "'" + s; return '"' + s.replace(/"/g, '""') + '"'; };
    const csv = [cols.join(',')].concat(rows.map(r => cols.map(c => cell(r[c])).join(','))).join('\r\n') + '\r\n';
    const a = el('a', { href: URL.createObjectURL(new Blob([csv], { type: 'text/csv' })), download: 'calls.csv' });
    document.body.append(a);
    a.click();
    a.remove();
    say(rows.length + ' calls exported.');
  }

  // ---- call detail: the record, the recording and its digest, the call's incidents ----
  async function callDetail() {
    const r = await api('GET', '/api/cdrs/' + encodeURIComponent(param));
    const dl = el('dl', { class: 'record' });
    for (const k of ['callId', 'facility', 'station', 'inmateId', 'dialed', 'btn', 'funding', 'startedAt', 'answeredAt',
      'acceptedAt', 'endedAt', 'outcome', 'reason', 'billedSeconds', 'charge', 'privileged', 'threeWay']) {
      dl.append(el('dt', { text: k }), el('dd', { text: fmt(r[k]) }));
    }
    const rec = document.getElementById('recording');
    rec.replaceChildren(el('h2', { text: 'Recording' }));
    const inc = await api('GET', '/api/incidents?inmate=' + encodeURIComponent(r.inmateId || '') + '&limit=500').catch(() => ({ incidents: [] }));
    const mine = inc.incidents.filter(i => i.callId === r.callId);
    if (r.recorded) {
      await recording(rec, r, mine);
    } else {
      rec.append(el('p', { class: 'hint', text: r.privileged ? 'Privileged calls are never recorded.' : 'No recording.' }));
    }
    show(dl, el('h2', { text: 'Incidents on this call' }),
      table(mine.length + ' incidents', [['at', 'At'], ['type', 'Type'], ['details', 'Details']], mine));
  }

  // The recording is fetched once (one audited download): the player plays it from memory, the waveform
  // of both channels is drawn from it, and its SHA-256 is checked in the browser against the record's.
  async function recording(rec, r, incidentsOfCall) {
    const res = await fetch(r.recordingUrl, { credentials: 'same-origin' });
    if (!res.ok) throw new Error('The recording cannot be read (HTTP ' + res.status + ').');
    const bytes = await res.arrayBuffer();
    const player = el('audio', { id: 'player', controls: true, preload: 'auto', 'aria-label': 'Recording of call ' + r.callId });
    player.src = URL.createObjectURL(new Blob([bytes], { type: 'audio/wav' }));
    const digest = el('code', { class: 'digest', id: 'digest', text: r.recordingSha256 || 'not sealed' });
    const verdict = el('span', { id: 'digest-check' });
    rec.append(player, el('p', {}, 'SHA-256 of the recording: ', digest, ' ', verdict));
    if (window.crypto && crypto.subtle) {
      const h = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))).map(b => b.toString(16).padStart(2, '0')).join('');
      verdict.textContent = h === r.recordingSha256 ? '✓ the file you are playing matches it' : '✗ the file you are playing does not match it (' + h + ')';
      verdict.className = h === r.recordingSha256 ? '' : 'error';
    }
    // Markers: three-way signs say where they are ("at 1:02.5 in the recording").
    const marks = [];
    for (const i of incidentsOfCall) {
      for (const m of String(i.details || '').matchAll(/([^;:]*?) at (\d+):(\d+(?:\.\d+)?) in the recording/g)) {
        marks.push({ t: Number(m[2]) * 60 + Number(m[3]), label: (m[1].trim() || i.type) });
      }
    }
    let audio;
    try {
      audio = await new AudioContext().decodeAudioData(bytes.slice(0));
    } catch (e) {
      rec.append(el('p', { class: 'hint', text: 'No waveform: this browser cannot decode the recording.' }));
      return;
    }
    const canvas = el('canvas', { id: 'waveform', width: '1100', height: '160', role: 'img',
      'aria-label': 'Waveform: the inmate above, the called party below' + (marks.length ? '; ' + marks.length + ' incident markers' : '') });
    drawWaveform(canvas, audio, marks);
    canvas.addEventListener('click', ev => { player.currentTime = audio.duration * ev.offsetX / canvas.clientWidth; });
    rec.append(canvas, el('p', { class: 'hint', text: 'Top: inmate. Bottom: called party. Click to seek.' }));
    if (marks.length) {
      rec.append(el('ul', { id: 'markers' }, ...marks.map(m => el('li', {}, el('button', { type: 'button', class: 'secondary',
        text: m.label + ' at ' + Math.floor(m.t / 60) + ':' + (m.t % 60).toFixed(1).padStart(4, '0'),
        onclick: () => { player.currentTime = m.t; player.play(); } })))));
    }
  }

  function drawWaveform(canvas, audio, marks) {
    const g = canvas.getContext('2d');
    const w = canvas.width;
    const h = canvas.height;
    const lanes = Math.min(2, audio.numberOfChannels);
    g.fillStyle = '#f6f8fa';
    g.fillRect(0, 0, w, h);
    for (let c = 0; c < lanes; c++) {
      const data = audio.getChannelData(c);
      const mid = h / lanes * (c + 0.5);
      const half = h / lanes / 2 - 2;
      const step = Math.max(1, Math.floor(data.length / w));
      g.fillStyle = c === 0 ? '#0a58ca' : '#2f7d32';
      for (let x = 0; x < w; x++) {
        let peak = 0;
        for (let i = x * step; i < Math.min(data.length, (x + 1) * step); i++) peak = Math.max(peak, Math.abs(data[i]));
        const y = Math.max(1, peak * half);
        g.fillRect(x, mid - y, 1, 2 * y);
      }
    }
    g.fillStyle = '#b42318';
    for (const m of marks) g.fillRect(Math.round(w * m.t / audio.duration), 0, 2, h);
  }

  // The queue: newest first, each with its acknowledgement and notes.
  async function incidents(form) {
    const current = fresh();
    const d = await api('GET', '/api/incidents?' + params(form));
    if (!current()) return;
    const ids = d.incidents.map(i => i.id);
    const rv = ids.length ? await api('GET', '/api/incidents/reviews?ids=' + ids.join(',')) : { reviews: [] };
    const byId = new Map(rv.reviews.map(r => [r.incidentId, r]));
    show(table(d.count + ' incidents', [['at', 'At'], ['type', 'Type'], ['facility', 'Facility'], ['inmateId', 'Inmate'],
      ['callId', 'Call', r => r.callId ? callLink(r) : ''], ['details', 'Details'],
      ['ack', 'Acknowledged', i => ackCell(i, byId.get(i.id), form)],
      ['notes', 'Notes', i => notesCell(i, byId.get(i.id), form)]], d.incidents));
    say('');
  }

  function ackCell(i, r, form) {
    if (r && r.acknowledgedAt) return fmt(r.acknowledgedBy) + ' ' + fmt(r.acknowledgedAt);
    return el('button', { type: 'button', class: 'ack', text: 'Acknowledge', 'aria-label': 'Acknowledge incident ' + i.id,
      onclick: () => api('POST', '/api/incidents/' + i.id + '/acknowledge').then(() => incidents(form))
        .then(() => say('Incident ' + i.id + ' acknowledged.')).catch(e => say(e.message, true)) });
  }

  function notesCell(i, r, form) {
    const list = el('ul', {}, ...((r && r.notes) || []).map(n => el('li', { text: n.text + ' (' + n.author + ', ' + fmt(n.at) + ')' })));
    const id = 'note-' + i.id;
    const f = el('form', { class: 'note' }, el('label', { for: id, text: 'Note' }),
      el('input', { id, name: 'text', required: true, maxlength: '2000' }), el('button', { type: 'submit', text: 'Add note' }));
    f.addEventListener('submit', async ev => {
      ev.preventDefault();
      clearErrors(f);
      try {
        await api('POST', '/api/incidents/' + i.id + '/notes', { text: f.elements.text.value });
        await incidents(form);
        say('Note added to incident ' + i.id + '.');
      } catch (e) {
        fail(f, e);
      }
    });
    return el('div', {}, list, f);
  }

  // ---- blocks: list, lift with a reason, add ----
  async function blocks(form) {
    const current = fresh();
    const d = await api('GET', '/api/blocks?' + params(form));
    if (!current()) return;
    show(table(d.blocks.length + ' active blocks', [['number', 'Number'], ['type', 'Type'], ['facility', 'Facility'],
      ['inmate', 'Inmate'], ['note', 'Note'], ['setBy', 'Set by'], ['setAt', 'Set at'],
      ['lift', 'Lift', b => liftForm(b, form)]], d.blocks));
    say('');
  }

  function liftForm(b, searchForm) {
    const id = 'reason-' + b.id;
    const f = el('form', { class: 'lift', 'data-number': b.number },
      el('label', { for: id, text: 'Reason' }), el('input', { id, name: 'reason', required: true, maxlength: '500' }),
      el('button', { type: 'submit', text: 'Lift', 'aria-label': 'Lift the ' + b.type + ' block on ' + b.number }));
    f.addEventListener('submit', async ev => {
      ev.preventDefault();
      clearErrors(f);
      try {
        const q = new URLSearchParams({ reason: f.elements.reason.value, type: b.type });
        if (b.facility) q.set('facility', b.facility);
        await api('DELETE', '/api/blocks/' + encodeURIComponent(b.number) + '?' + q);
        await blocks(searchForm);
        say('Block on ' + b.number + ' lifted.');
      } catch (e) {
        fail(f, e);
      }
    });
    return f;
  }

  // ---- accounts: balances, deposit history, deposits ----
  let account = null;
  async function accounts(form) {
    const p = params(form);
    account = p.get('btn') ? '/api/accounts/prepaid/' + encodeURIComponent(p.get('btn'))
      : p.get('inmate') ? '/api/accounts/debit/' + encodeURIComponent(p.get('inmate')) : null;
    if (!account) throw Object.assign(new Error('Give a BTN or an inmate id.'), { field: 'btn' });
    const a = await api('GET', account);
    const h = await api('GET', account + '/deposits');
    const dl = el('dl', { class: 'record', id: 'balance' });
    for (const k of ['btn', 'inmateId', 'balance', 'held', 'available']) if (k in a) dl.append(el('dt', { text: k }), el('dd', { text: fmt(a[k]) }));
    show(dl, el('h2', { text: 'Deposits' }), table(h.count + ' deposits', Object.keys(h.deposits[0] || { amount: 0 }).map(k => [k, k]), h.deposits));
    const dep = document.getElementById('deposit');
    if (dep) dep.hidden = false;
    say('');
  }

  async function inmates(form) {
    const current = fresh();
    const d = await api('GET', '/api/inmates?' + params(form));
    if (!current()) return;
    show(table(d.inmates.length + ' inmates', [['id', 'Id'], ['name', 'Name'], ['housingUnit', 'Unit'], ['language', 'Language'],
      ['effectiveStatus', 'Status'], ['until', 'Until'], ['pinLocked', 'PIN locked']], d.inmates));
    say('');
  }

  // ---- facility: rules (only changed fields are sent) and stations ----
  let facility = null;
  let loaded = {};
  async function openFacility(form) {
    const id = form.elements.facility.value.trim();
    if (!id) throw Object.assign(new Error('Which facility?'), { field: 'facility' });
    const f = await api('GET', '/api/facilities/' + encodeURIComponent(id));
    const st = await api('GET', '/api/facilities/' + encodeURIComponent(id) + '/stations');
    facility = f.id;
    const rules = document.getElementById('rules');
    const value = n => n.includes('.') ? (f[n.split('.')[0]] || {})[n.split('.')[1]] : f[n];
    loaded = {};
    for (const input of rules.querySelectorAll('input, select')) {
      const v = value(input.name);
      input.value = v === null || v === undefined ? '' : String(v);
      loaded[input.name] = input.value;
    }
    rules.hidden = false;
    document.getElementById('add-station').hidden = false;
    show(table(st.stations.length + ' stations', [['id', 'Id'], ['kind', 'Kind'], ['housingUnit', 'Housing unit']], st.stations));
    say('');
  }

  async function saveRules(form) {
    const change = {};
    for (const input of form.querySelectorAll('input, select')) {
      const v = input.value.trim();
      if (v === loaded[input.name]) continue;
      const val = input.type === 'number' ? Number(v) : v;
      if (input.name.includes('.')) {
        const [a, b] = input.name.split('.');
        change[a] = change[a] || { start: form.elements['phoneHours.start'].value.trim(), end: form.elements['phoneHours.end'].value.trim() };
        change[a][b] = val;
      } else {
        change[input.name] = val;
      }
    }
    if (!Object.keys(change).length) { say('Nothing changed.'); return; }
    await api('PATCH', '/api/facilities/' + encodeURIComponent(facility), change);
    await openFacility(document.getElementById('search'));
    say('Rules saved.');
  }

  async function audit(form) {
    const p = params(form);
    p.set('limit', '200');
    const current = fresh();
    const d = await api('GET', '/api/audit?' + p);
    if (!current()) return;
    show(table(d.count + ' entries', [['at', 'At'], ['actor', 'Actor'], ['action', 'Action'], ['target', 'Target'], ['details', 'Details']], d.entries));
    say('');
  }

  async function staff() {
    const d = await api('GET', '/api/staff');
    show(table(d.staff.length + ' people', [['username', 'Username'], ['displayName', 'Name'], ['role', 'Role'],
      ['facilities', 'Facilities'], ['lastSignInAt', 'Last sign-in'],
      ['locked', 'Locked', s => s.locked ? el('button', { type: 'button', text: 'Unlock', 'aria-label': 'Unlock ' + s.username,
        onclick: () => api('PATCH', '/api/staff/' + s.id, { unlock: true }).then(staff).then(() => say(s.username + ' unlocked.')).catch(e => say(e.message, true)) }) : 'no'],
      ['active', 'Active', s => s.active ? el('button', { type: 'button', class: 'secondary', text: 'Disable', 'aria-label': 'Disable ' + s.username,
        onclick: () => api('DELETE', '/api/staff/' + s.id).then(staff).then(() => say(s.username + ' disabled.')).catch(e => say(e.message, true)) }) : 'disabled']
    ], d.staff));
  }

  async function start() {
    try {
      switch (page) {
        case 'live': {
          await live();
          document.getElementById('refresh').addEventListener('click', () => live().catch(e => say(e.message, true)));
          setInterval(() => { if (!document.hidden) live().catch(e => say(e.message, true)); }, 5000);
          document.getElementById('listen-stop').addEventListener('click', () => { if (listening) listening.stop(); });
          break;
        }
        case 'calls': {
          const f = onSubmit('search', form => search(form));
          document.getElementById('older').addEventListener('click', () =>
            search(f, lastSearch[lastSearch.length - 1].startedAt).catch(e => fail(f, e)));
          document.getElementById('csv').addEventListener('click', () => exportCsv(f).catch(e => fail(f, e)));
          if (role !== 'customer_service') await search(f);
          break;
        }
        case 'call': await callDetail(); break;
        case 'incidents': { const f = onSubmit('search', incidents); await incidents(f); break; }
        case 'blocks': {
          const f = onSubmit('search', blocks);
          onSubmit('add-block', async form => {
            const v = n => form.elements[n].value.trim() || undefined;
            await api('POST', '/api/blocks', { number: v('number'), type: v('type'), facility: v('facility'), note: v('note') },
              { 'Idempotency-Key': crypto.randomUUID() });
            form.reset();
            await blocks(f);
            say('Block added.');
          });
          await blocks(f);
          break;
        }
        case 'accounts': {
          onSubmit('search', accounts);
          onSubmit('deposit', async form => {
            await api('POST', account + '/deposits', { amount: form.elements.amount.value.trim(), reference: form.elements.reference.value.trim() || undefined },
              { 'Idempotency-Key': crypto.randomUUID() });
            form.reset();
            await accounts(document.getElementById('search'));
            say('Deposit recorded.');
          });
          break;
        }
        case 'inmates': {
          const f = onSubmit('search', inmates);
          onSubmit('edit-inmate', async form => {
            const id = form.elements.id.value.trim();
            if (!id) throw Object.assign(new Error('Which inmate?'), { field: 'id' });
            const change = {};
            for (const n of ['status', 'until', 'housingUnit', 'pin']) {
              const input = form.elements[n];
              const v = input.value.trim();
              if (v) change[n] = input.type === 'datetime-local' ? new Date(v + 'Z').toISOString() : v;
            }
            await api('PATCH', '/api/inmates/' + encodeURIComponent(id), change);
            form.reset();
            if (f.elements.facility.value.trim()) await inmates(f);
            say('Inmate ' + id + ' saved.');
          });
          break;
        }
        case 'facility': {
          const f = onSubmit('search', openFacility);
          onSubmit('rules', saveRules);
          onSubmit('add-station', async form => {
            const v = n => form.elements[n].value.trim() || undefined;
            await api('POST', '/api/stations', { id: v('id'), facility, kind: v('kind'), housingUnit: v('housingUnit') },
              { 'Idempotency-Key': crypto.randomUUID() });
            form.reset();
            await openFacility(f);
            say('Station added.');
          });
          break;
        }
        case 'audit': { const f = onSubmit('search', audit); await audit(f); break; }
        case 'staff': {
          onSubmit('add-staff', async form => {
            const v = n => form.elements[n].value.trim();
            const fac = v('facilities') ? v('facilities').split(',').map(s => s.trim()).filter(Boolean) : undefined;
            await api('POST', '/api/staff', { username: v('username'), displayName: v('display') || undefined, role: v('role'), password: form.elements.password.value, facilities: fac },
              { 'Idempotency-Key': crypto.randomUUID() });
            form.reset();
            await staff();
            say('Account created.');
          });
          await staff();
          break;
        }
      }
    } catch (e) {
      say(e.message, true);
    }
  }
  start();
}());
