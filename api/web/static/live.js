// What the live pages share: the event stream, the CSRF token, posting a form with fetch.

/** The user's event stream from just after what the page already shows. */
export function openStream(since) {
  const url = Number.isInteger(since) && since > 0 ? `/v1/events?since=${since}` : "/v1/events";
  // Same origin: the browser sends the session cookie; no token goes in the URL.
  return new EventSource(url);
}

export function on(stream, type, handler) {
  stream.addEventListener(type, (event) => {
    let data;
    try {
      data = JSON.parse(event.data);
    } catch {
      return;
    }
    handler(data);
  });
}

export function csrfToken(root = document) {
  const field = root.querySelector('input[name="csrf_token"]');
  return field ? field.value : "";
}

/** POST a form (or FormData) and read the JSON answer; a problem body becomes an Error. */
export async function postForm(action, body, token) {
  const response = await fetch(action, {
    method: "POST",
    body,
    headers: { Accept: "application/json", "X-CSRF-Token": token },
    credentials: "same-origin",
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(data.detail || data.title || response.statusText);
    error.code = data.code;
    throw error;
  }
  return data;
}

/** Bars get their width from data attributes: the CSP allows no inline styles. */
export function paintBars(root = document) {
  for (const fill of root.querySelectorAll(".bar-fill[data-width]")) {
    const value = Math.max(0, Math.min(100, Number(fill.dataset.width) || 0));
    fill.style.width = `${value}%`;
  }
}

/** Replace ``target``'s content with a server-rendered (escaped) fragment. */
export async function swapFragment(url, target) {
  // Events come in bursts (cv.scored, then report.ready): answers may arrive out of order,
  // and only the one asked for last shows the newest state.
  const ticket = (swaps.get(target) ?? 0) + 1;
  swaps.set(target, ticket);
  const response = await fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" });
  if (!response.ok) return false;
  const html = await response.text();
  if (swaps.get(target) !== ticket) return false;
  const template = document.createElement("template");
  template.innerHTML = html;
  const typed = typing(target, template.content);
  target.replaceChildren(template.content);
  for (const { field, value, focused } of typed) {
    field.value = value;
    if (focused) field.focus();
  }
  paintBars(target);
  return true;
}

const swaps = new WeakMap();

/** The fields of ``into`` that take what the user is typing in ``from`` (same form, same
 * name), so that a refresh does not wipe a half-written job description. */
function typing(from, into) {
  const kept = [];
  for (const field of from.querySelectorAll("textarea[name], input[name]")) {
    if (["hidden", "file", "checkbox", "radio"].includes(field.type)) continue;
    const focused = field === document.activeElement;
    if (field.value === field.defaultValue && !focused) continue;
    const action = field.closest("form")?.getAttribute("action");
    const twin = [...into.querySelectorAll(`[name="${CSS.escape(field.name)}"]`)].find(
      (candidate) => candidate.closest("form")?.getAttribute("action") === action,
    );
    if (twin) kept.push({ field: twin, value: field.value, focused });
  }
  return kept;
}
