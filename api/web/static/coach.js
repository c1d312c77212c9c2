// The coach chat: a sent message appears at once; the reply streams in as it is written.
import { csrfToken, on, openStream, postForm } from "./live.js";

export function start(root) {
  const list = root.querySelector("[data-messages]");
  const form = root.querySelector("[data-coach-form]");
  const cancel = root.querySelector("[data-coach-cancel]");
  const sessionId = root.dataset.sessionId;
  const stream = openStream(Number(root.dataset.since));
  const replies = new Map(); // reply id -> {element, text}
  let current = null; // the message whose reply is being written

  const bubble = (role, text) => {
    const item = document.createElement("li");
    item.className = `msg ${role}`;
    const who = document.createElement("p");
    who.className = "who";
    who.textContent = role === "user" ? root.dataset.msgYou : root.dataset.msgBot;
    const body = document.createElement("div");
    body.className = "text";
    body.textContent = text; // text, never markup
    item.append(who, body);
    list.append(item);
    item.scrollIntoView({ block: "nearest" });
    return body;
  };
  const replyFor = (id) => {
    if (!replies.has(id)) {
      replies.set(id, { element: bubble("assistant", root.dataset.msgThinking), text: "" });
    }
    return replies.get(id);
  };
  const rate = (form) =>
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const chosen = event.submitter;
      try {
        await postForm(form.action, new FormData(form, chosen), csrfToken(form));
      } catch {
        return;
      }
      for (const button of form.querySelectorAll("button")) {
        button.setAttribute("aria-pressed", String(button === chosen));
      }
    });
  const ratingFor = (replyId) => {
    const form = document.createElement("form");
    form.method = "post";
    form.action = `/app/coach/${sessionId}/messages/${encodeURIComponent(replyId)}/rating`;
    form.className = "rating";
    form.dataset.rating = "";
    const token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrf_token";
    token.value = csrfToken(root);
    const label = document.createElement("span");
    label.className = "visually-hidden";
    label.textContent = root.dataset.msgRate;
    form.append(token, label);
    for (const [value, text] of [["up", root.dataset.msgHelpful], ["down", root.dataset.msgNotHelpful]]) {
      const button = document.createElement("button");
      button.type = "submit";
      button.name = "rating";
      button.value = value;
      button.className = "secondary";
      button.setAttribute("aria-pressed", "false");
      button.textContent = text;
      form.append(button);
    }
    rate(form);
    return form;
  };
  for (const form of root.querySelectorAll("form[data-rating]")) rate(form);

  const finish = () => {
    current = null;
    cancel.hidden = true;
  };

  on(stream, "coach.reply.delta", (data) => {
    if (data.session_id !== sessionId) return;
    const reply = replyFor(data.message_id);
    reply.text = data.reset ? data.text : reply.text + data.text;
    reply.element.textContent = reply.text;
    const item = reply.element.closest("li");
    item.dataset.deltas = String(Number(item.dataset.deltas || 0) + 1);
  });
  on(stream, "coach.reply.completed", (data) => {
    const reply = replies.get(data.message_id) || (current && current.reply === data.message_id ? replyFor(data.message_id) : null);
    if (!reply) return;
    // The record is what the worker kept, which for a stopped reply is what was streamed.
    if (typeof data.text === "string" && data.text) reply.element.textContent = data.text;
    if (data.status === "cancelled") {
      const note = document.createElement("p");
      note.className = "hint";
      note.textContent = root.dataset.msgCancelled;
      reply.element.after(note);
    }
    const item = reply.element.closest("li");
    item.dataset.done = data.status;
    if (data.status === "completed" && !item.querySelector("form[data-rating]")) {
      item.append(ratingFor(data.message_id));
    }
    finish();
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const field = form.querySelector("textarea");
    const text = field.value.trim();
    if (!text) return;
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      const body = await postForm(form.action, new FormData(form), csrfToken(form));
      bubble("user", text);
      field.value = "";
      current = { message: body.message_id, reply: body.reply_id };
      replyFor(body.reply_id);
      cancel.hidden = false;
    } catch (error) {
      bubble("assistant", error.message);
    } finally {
      button.disabled = false;
    }
  });

  cancel.addEventListener("click", async () => {
    if (!current) return;
    const body = new FormData();
    body.set("csrf_token", csrfToken(form));
    body.set("message_id", current.message);
    try {
      await postForm(`/app/coach/${sessionId}/cancel`, body, csrfToken(form));
    } catch {
      // The reply may have finished meanwhile; its completed event says how it ended.
    }
  });
}
