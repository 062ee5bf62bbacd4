// Activity: every request the server is working on, whoever sent it, from GET /v1/requests/events.
// Each event carries a request's whole state; the list shows those in flight, then the last few finished.
import { readEvents } from './sse.js';

const KEEP_FINISHED = 5;
const ENDED = new Set(['done', 'cancelled', 'failed']);

function fmtDuration(ms) {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

const rate = (r) => (r == null ? '' : ` · ${r >= 10 ? Math.round(r) : r.toFixed(1)} tok/s`);

// The line under a request's title: where it is now.
export function describe(s) {
  const cached = s.cached_tokens > 0 ? ` · ${s.cached_tokens} cached` : '';
  switch (s.phase) {
    case 'queued':
      return s.position > 0 ? `Queued: position ${s.position}` : 'Queued';
    case 'prefill': {
      const pct = s.prompt_tokens > 0 ? Math.floor((100 * s.processed_tokens) / s.prompt_tokens) : 0;
      const eta = s.eta_ms != null && s.processed_tokens < s.prompt_tokens ? ` · ETA ${fmtDuration(s.eta_ms)}` : '';
      return `Processing prompt: ${s.processed_tokens} / ${s.prompt_tokens} tokens (${pct}%)${cached}`
        + `${rate(s.prefill_tokens_per_second)}${eta}`;
    }
    case 'decode':
      return `Decoding: ${s.generated_tokens} tokens${rate(s.decode_tokens_per_second)} · prompt ${s.prompt_tokens}${cached}`;
    case 'failed':
      return `Failed: ${s.error || 'error'}`;
    default: {
      const word = s.phase === 'done' ? 'Done' : 'Cancelled';
      return `${word}: ${s.prompt_tokens} prompt + ${s.generated_tokens} generated tokens`
        + `${rate(s.decode_tokens_per_second)} · ${fmtDuration(s.elapsed_ms)}`;
    }
  }
}

function fraction(s) {
  // a prompt cut short (cancelled, failed) keeps the bar where it stopped
  const stopped = (s.phase === 'cancelled' || s.phase === 'failed') && s.generated_tokens === 0;
  if (s.phase === 'prefill' || stopped) return s.prompt_tokens > 0 ? s.processed_tokens / s.prompt_tokens : 0;
  if (s.phase === 'queued') return 0;
  return 1;
}

export class Activity {
  // list: the <ol> to fill; open: () => Promise<Response> for the event stream (with the API key)
  constructor(list, open) {
    this.list = list;
    this.open = open;
    this.inFlight = new Map();
    this.finished = [];
    this.running = false;
  }

  start() {
    if (this.running) return;
    this.running = true;
    this.loop();
  }

  async loop() {
    while (this.running) {
      try {
        const res = await this.open();
        if (!res.ok || !res.body) throw new Error(`status ${res.status}`);
        this.inFlight.clear();
        for await (const ev of readEvents(res.body)) {
          if (ev.event === 'request') this.accept(JSON.parse(ev.data));
          this.render();
        }
      } catch (e) {
        // the server went away or restarted: show that, and try again shortly
        this.list.dataset.connected = 'false';
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
  }

  accept(s) {
    if (ENDED.has(s.phase)) {
      this.inFlight.delete(s.id);
      this.finished = this.finished.filter((f) => f.id !== s.id);
      this.finished.unshift(s);
      this.finished.length = Math.min(this.finished.length, KEEP_FINISHED);
    } else {
      this.inFlight.set(s.id, s);
    }
  }

  render() {
    this.list.dataset.connected = 'true';
    const items = [...this.inFlight.values(), ...this.finished];
    const empty = this.list.querySelector('.empty-activity') || document.createElement('li');
    empty.className = 'empty-activity';
    empty.textContent = 'No requests yet.';
    const rows = items.map((s) => this.row(s));
    this.list.replaceChildren(...(rows.length ? rows : [empty]));
  }

  row(s) {
    const li = document.createElement('li');
    li.className = `req ${s.phase}`;
    li.dataset.id = s.id;
    li.dataset.phase = s.phase;
    li.dataset.processed = String(s.processed_tokens);
    li.dataset.total = String(s.prompt_tokens);
    const title = document.createElement('div');
    title.className = 'req-title';
    const who = [s.endpoint, s.client, s.user_agent].filter(Boolean).join(' · ');
    title.textContent = `${s.id}${who ? ` — ${who}` : ''}`;
    const track = document.createElement('div');
    track.className = 'track';
    const fill = document.createElement('div');
    fill.className = 'fill';
    fill.style.width = `${Math.round(fraction(s) * 100)}%`;
    track.append(fill);
    const text = document.createElement('div');
    text.className = 'req-text';
    text.textContent = describe(s);
    li.append(title, track, text);
    return li;
  }
}
