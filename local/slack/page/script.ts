/**
 * The page's only script: the "Act as" switch, presses and modal submissions sent without leaving the
 * page, and the live view — each `changed` event from GET /events re-fetches the content. An open modal is
 * replaced only when the server's copy changed (another view, new errors), so what is being typed stays.
 */
export const SCRIPT = `(() => {
  const byId = (id) => document.getElementById(id);
  let user = byId('act-as').value;
  let inFlight = false, again = false;
  async function refresh() {
    if (inFlight) { again = true; return; }
    inFlight = true;
    try {
      const res = await fetch('/ui/content?as=' + encodeURIComponent(user));
      const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
      const main = doc.getElementById('content');
      if (main) byId('content').replaceWith(main);
      const modal = doc.getElementById('modal');
      if (modal && modal.dataset.key !== byId('modal').dataset.key) byId('modal').replaceWith(modal);
      document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed || 0) + 1);
    } catch (error) {
      say('Could not refresh: ' + error.message, true);
    } finally {
      inFlight = false;
      if (again) { again = false; void refresh(); }
    }
  }
  function say(text, bad) {
    const status = byId('status');
    status.textContent = text;
    status.className = bad ? 'bad' : '';
  }
  byId('act-as').addEventListener('change', (event) => {
    user = event.target.value;
    history.replaceState(null, '', '/?as=' + encodeURIComponent(user));
    say('');
    void refresh();
  });
  document.addEventListener('change', (event) => {
    const select = event.target;
    if (select instanceof HTMLSelectElement && select.form && select.form.classList.contains('press')) select.form.requestSubmit();
  });
  document.addEventListener('submit', async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.id === 'act-as-form') return;
    event.preventDefault();
    const submitter = event.submitter;
    const action = (submitter && submitter.getAttribute('formaction')) || form.getAttribute('action');
    const body = new URLSearchParams(new FormData(form, submitter || undefined));
    for (const el of form.querySelectorAll('button, select')) el.disabled = true;
    try {
      const res = await fetch(action, { method: 'POST', body, headers: { accept: 'application/json' } });
      const answer = await res.json();
      say(answer.said, !answer.ok);
    } catch (error) {
      say('Failed: ' + error.message, true);
    } finally {
      for (const el of form.querySelectorAll('button, select')) el.disabled = false;
      await refresh();
    }
  });
  const events = new EventSource('/events');
  events.onmessage = () => void refresh();
  events.onopen = () => { document.body.dataset.live = 'yes'; void refresh(); };
})();`;
