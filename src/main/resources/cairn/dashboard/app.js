// cairn dashboard: streaming chat with live prefill progress. Plain ES modules, no build step.
import { renderMarkdown } from './markdown.js';
import { readEvents } from './sse.js';
import { Activity } from './activity.js';

const $ = (id) => document.getElementById(id);
const el = {
  modelName: $('model-name'), log: $('log'), emptyHint: $('empty-hint'), input: $('input'), composer: $('composer'),
  send: $('send'), stop: $('stop'), newChat: $('new-chat'), settings: $('settings'), settingsToggle: $('settings-toggle'),
  system: $('system-prompt'), temperature: $('temperature'), maxTokens: $('max-tokens'),
  progress: $('progress'), progressFill: $('progress-fill'), progressText: $('progress-text'),
  queue: $('queue'), notice: $('notice'), noticeText: $('notice-text'),
  noticeActions: $('notice-actions'), keyPanel: $('key-panel'), keyForm: $('key-form'), apiKey: $('api-key'),
};

const KEY_STORAGE = 'cairn.apiKey';
const state = {
  model: null,
  turns: [],        // {role: 'user'|'assistant', content} — the system prompt is added per request
  current: null,    // the answer being generated: {controller, requestId, phase, ...}
  keyWaiter: null,  // resolves when the user saved an API key
};

// ---------- small helpers ----------

function headers() {
  const h = { 'Content-Type': 'application/json' };
  const key = localStorage.getItem(KEY_STORAGE);
  if (key) h.Authorization = `Bearer ${key}`;
  return h;
}

function fmtDuration(ms) {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function nearBottom() {
  return el.log.scrollHeight - el.log.scrollTop - el.log.clientHeight < 80;
}

function keepInView(force) {
  if (force || nearBottom()) el.log.scrollTop = el.log.scrollHeight;
}

function setBusy(busy) {
  el.send.disabled = busy;
  el.stop.disabled = !busy;
}

function addMessage(role, text) {
  el.emptyHint.hidden = true;
  const wrap = document.createElement('article');
  wrap.className = `msg ${role}`;
  const who = document.createElement('div');
  who.className = 'who';
  who.textContent = role === 'user' ? 'You' : role === 'assistant' ? (state.model || 'assistant') : role;
  const body = document.createElement('div');
  body.className = 'body';
  if (role === 'note') wrap.append(body);
  else wrap.append(who, body);
  el.log.append(wrap);
  setBody(body, role, text);
  keepInView(true);
  return { wrap, body };
}

function setBody(body, role, text) {
  if (role === 'assistant') body.innerHTML = renderMarkdown(text); // escaped first inside renderMarkdown
  else body.textContent = text;
}

function addMeta(wrap, text, cls = 'meta') {
  const stick = nearBottom();
  const meta = document.createElement('div');
  meta.className = cls;
  meta.textContent = text;
  wrap.append(meta);
  keepInView(stick);
  return meta;
}

function showNotice(text, actions = []) {
  el.noticeText.textContent = text;
  el.noticeActions.replaceChildren(...actions.map(([label, fn]) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.addEventListener('click', fn);
    return b;
  }));
  el.notice.hidden = false;
}

function hideNotice() {
  el.notice.hidden = true;
}

// ---------- progress bar ----------

function showProgress(p) {
  el.queue.hidden = true;
  const total = p.total_tokens || 0;
  const done = p.processed_tokens || 0;
  const pct = total > 0 ? Math.floor((100 * done) / total) : 0;
  let text = `Processing prompt: ${done} / ${total} tokens (${pct}%)`;
  if (p.cached_tokens > 0) text += ` · ${p.cached_tokens} cached`;
  if (p.tokens_per_second != null) text += ` · ${Math.round(p.tokens_per_second)} tok/s`;
  if (p.eta_ms != null && done < total) text += ` · ETA ${fmtDuration(p.eta_ms)}`;
  el.progressText.textContent = text;
  el.progressFill.style.width = `${pct}%`;
  el.progress.setAttribute('aria-valuenow', String(pct));
  el.progress.dataset.processed = String(done);
  el.progress.dataset.total = String(total);
  el.progress.hidden = false;
  keepInView(false);
}

function showQueued(q) {
  el.progress.hidden = true;
  const n = q.position;
  el.queue.textContent = `Waiting: ${n} request${n === 1 ? '' : 's'} ahead`;
  el.queue.hidden = false;
}

function hideStatus() {
  el.progress.hidden = true;
  el.queue.hidden = true;
}

// ---------- API key ----------

function askForKey() {
  el.keyPanel.hidden = false;
  el.apiKey.focus();
  return new Promise((resolve) => { state.keyWaiter = resolve; });
}

el.keyForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const key = el.apiKey.value.trim();
  if (!key) return;
  localStorage.setItem(KEY_STORAGE, key);
  el.apiKey.value = '';
  el.keyPanel.hidden = true;
  if (state.keyWaiter) state.keyWaiter();
  state.keyWaiter = null;
});

// fetch that asks for the API key on 401 and tries again with it
async function apiFetch(path, init = {}) {
  for (;;) {
    const res = await fetch(path, { ...init, headers: headers() });
    if (res.status !== 401) return res;
    localStorage.removeItem(KEY_STORAGE);
    await askForKey();
  }
}

// ---------- model ----------

async function loadModel() {
  try {
    const res = await apiFetch('/v1/models');
    const body = await res.json();
    state.model = body.data && body.data.length ? body.data[0].id : '(none)';
  } catch (e) {
    state.model = '(server unreachable)';
  }
  el.modelName.textContent = state.model;
}

// ---------- chat ----------

function requestMessages() {
  const msgs = [];
  const system = el.system.value.trim();
  if (system) msgs.push({ role: 'system', content: system });
  return msgs.concat(state.turns);
}

function isContextError(status, message) {
  return status === 400 && /context/i.test(message || '');
}

async function errorMessage(res) {
  try {
    const body = await res.json();
    return (body.error && (body.error.message || body.error)) || JSON.stringify(body);
  } catch {
    return `HTTP ${res.status}`;
  }
}

async function send() {
  const text = el.input.value.trim();
  if (!text || state.current) return;
  hideNotice();
  el.input.value = '';
  state.turns.push({ role: 'user', content: text });
  addMessage('user', text);
  await generate();
}

async function generate() {
  const answer = addMessage('assistant', '');
  answer.wrap.classList.add('pending');
  const cur = {
    controller: new AbortController(), requestId: null, phase: 'waiting', text: '', started: performance.now(),
    firstTokenAt: null, lastProgress: null, usage: null, stopped: false, answer, chunks: 0,
  };
  state.current = cur;
  setBusy(true);
  let ok = false;
  try {
    const res = await apiFetch('/v1/chat/completions', {
      method: 'POST',
      signal: cur.controller.signal,
      body: JSON.stringify({
        model: state.model || 'default',
        messages: requestMessages(),
        stream: true,
        stream_options: { include_usage: true },
        prefill_progress: 'events',
        temperature: Number(el.temperature.value),
        max_tokens: Math.max(1, Number(el.maxTokens.value) || 512),
      }),
    });
    if (!res.ok) {
      const message = await errorMessage(res);
      answer.wrap.remove();
      if (isContextError(res.status, message)) contextOverflow(message);
      else {
        unsend();
        showNotice(`The server refused the request: ${message}`);
      }
      return;
    }
    for await (const ev of readEvents(res.body)) {
      if (!handleEvent(cur, ev)) break;
    }
    ok = true;
  } catch (e) {
    if (e.name !== 'AbortError') showNotice(`Connection failed: ${e.message}`);
  } finally {
    finish(cur, ok);
  }
}

// returns false at the end of the stream
function handleEvent(cur, ev) {
  if (ev.event === 'prefill_progress') {
    const p = JSON.parse(ev.data);
    cur.requestId = p.request_id || cur.requestId;
    cur.phase = 'prefill';
    cur.lastProgress = p;
    if (cur.firstTokenAt === null) showProgress(p);
    return true;
  }
  if (ev.event === 'queued') {
    const q = JSON.parse(ev.data);
    cur.requestId = q.request_id || cur.requestId;
    cur.phase = 'queued';
    showQueued(q);
    return true;
  }
  if (ev.data === '[DONE]') return false;
  const chunk = JSON.parse(ev.data);
  if (chunk.error) {
    const message = chunk.error.message || String(chunk.error);
    if (isContextError(400, message)) contextOverflow(message);
    else showNotice(`Error: ${message}`);
    return true;
  }
  cur.requestId = chunk.id || cur.requestId;
  if (chunk.usage) cur.usage = chunk.usage;
  const choice = chunk.choices && chunk.choices[0];
  const delta = choice && choice.delta && choice.delta.content;
  if (delta) {
    if (cur.firstTokenAt === null) {
      cur.firstTokenAt = performance.now();
      cur.phase = 'decode';
      hideStatus();
      cur.answer.wrap.classList.remove('pending');
    }
    cur.chunks++;
    cur.text += delta;
    scheduleRender(cur);
  }
  if (choice && choice.finish_reason) cur.finishReason = choice.finish_reason;
  return true;
}

function scheduleRender(cur) {
  if (cur.renderQueued) return;
  cur.renderQueued = true;
  requestAnimationFrame(() => {
    cur.renderQueued = false;
    const stick = nearBottom(); // measured before the text grows, or a long chunk would unstick it
    setBody(cur.answer.body, 'assistant', cur.text);
    keepInView(stick);
  });
}

function finish(cur, ok) {
  hideStatus();
  setBusy(false);
  state.current = null;
  const { wrap, body } = cur.answer;
  if (!wrap.isConnected) return;
  wrap.classList.remove('pending');
  const stick = nearBottom();
  setBody(body, 'assistant', cur.text);
  keepInView(stick);
  if (cur.text) {
    state.turns.push({ role: 'assistant', content: cur.text });
  } else {
    // no answer: take the question back (into the box, for editing) so the next turn does not follow two user turns
    wrap.remove();
    unsend();
    if (cur.stopped) addMessage('note', 'Stopped before the answer started.');
    return;
  }
  const end = performance.now();
  const parts = [];
  if (cur.stopped) parts.push(cur.firstTokenAt === null ? 'stopped during prefill' : 'stopped');
  else if (cur.finishReason === 'length') parts.push('cut at max tokens');
  if (cur.firstTokenAt !== null) {
    const ttft = cur.firstTokenAt - cur.started;
    parts.push(`TTFT ${(ttft / 1000).toFixed(2)}s`);
    const p = cur.lastProgress;
    const prompt = cur.usage ? cur.usage.prompt_tokens : p ? p.total_tokens : null;
    const cached = cur.usage && cur.usage.prompt_tokens_details ? cur.usage.prompt_tokens_details.cached_tokens || 0
      : p ? p.cached_tokens : 0;
    if (p && p.tokens_per_second != null) parts.push(`prefill ${Math.round(p.tokens_per_second)} tok/s`);
    else if (prompt != null && ttft > 0) parts.push(`prefill ${Math.round((prompt - cached) / (ttft / 1000))} tok/s`);
    const generated = cur.usage ? cur.usage.completion_tokens : cur.chunks;
    const decodeSecs = (end - cur.firstTokenAt) / 1000;
    if (generated > 1 && decodeSecs > 0) parts.push(`decode ${((generated - 1) / decodeSecs).toFixed(1)} tok/s`);
    parts.push(`${generated} tokens`);
    if (prompt != null) parts.push(`prompt ${prompt}${cached > 0 ? ` (${cached} cached)` : ''}`);
  }
  if (parts.length) addMeta(wrap, parts.join(' · '), 'meta stats');
}

async function stop() {
  const cur = state.current;
  if (!cur) return;
  cur.stopped = true;
  const id = cur.requestId;
  cur.controller.abort();
  if (id) {
    // Closing the stream also frees the slot, but say it explicitly so the server stops within one chunk
    try {
      await fetch(`/v1/requests/${encodeURIComponent(id)}/cancel`, { method: 'POST', headers: headers() });
    } catch { /* the server may have finished it already */ }
  }
}

function unsend() {
  const last = state.turns[state.turns.length - 1];
  if (!last || last.role !== 'user') return;
  state.turns.pop();
  const shown = el.log.querySelectorAll('article.msg.user:not(.dropped)');
  if (shown.length) shown[shown.length - 1].classList.add('dropped');
  if (!el.input.value) el.input.value = last.content;
}

function contextOverflow(message) {
  // the user's last message stays in state.turns: dropping old turns and retrying can still answer it
  const pairs = state.turns.length - 1;
  const actions = [['New chat', newChat]];
  if (pairs > 0) actions.push(['Drop oldest turns and retry', dropOldestAndRetry]);
  else unsend();
  showNotice(pairs > 0
    ? `This conversation no longer fits in the model's context (${message}). Start a new chat, or drop the oldest turns (the system prompt is kept).`
    : `This message is too long for the model's context (${message}). Shorten it or start a new chat.`, actions);
}

async function dropOldestAndRetry() {
  // drop the oldest user turn and the answer that followed it
  const nextUser = state.turns.findIndex((t, i) => i > 0 && t.role === 'user');
  const dropped = nextUser > 0 ? nextUser : 1;
  state.turns.splice(0, dropped);
  const shown = [...el.log.querySelectorAll('article.msg.user:not(.dropped), article.msg.assistant:not(.dropped)')]
    .slice(0, dropped);
  shown.forEach((m) => m.classList.add('dropped'));
  hideNotice();
  const note = addMessage('note', `Dropped the ${dropped} oldest message${dropped === 1 ? '' : 's'} to fit the context (the system prompt is kept).`);
  note.wrap.classList.add('note');
  await generate();
}

function newChat() {
  if (state.current) stop();
  state.turns = [];
  el.log.querySelectorAll('article').forEach((a) => a.remove());
  el.emptyHint.hidden = false;
  hideNotice();
  hideStatus();
  el.input.focus();
}

// ---------- wiring ----------

el.composer.addEventListener('submit', (e) => {
  e.preventDefault();
  send();
});
el.input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    send();
  }
});
el.stop.addEventListener('click', stop);
el.newChat.addEventListener('click', newChat);
el.settingsToggle.addEventListener('click', () => {
  el.settings.hidden = !el.settings.hidden;
  el.settingsToggle.setAttribute('aria-expanded', String(!el.settings.hidden));
});

const activity = new Activity($('activity-list'), () => apiFetch('/v1/requests/events'));
const activityToggle = $('activity-toggle');
function showActivity(open) {
  $('activity').hidden = !open;
  activityToggle.setAttribute('aria-expanded', String(open));
  if (open) activity.start();
}
activityToggle.addEventListener('click', () => showActivity($('activity').hidden));
if (location.hash === '#activity') showActivity(true);
window.addEventListener('hashchange', () => { if (location.hash === '#activity') showActivity(true); });

loadModel();
el.input.focus();
