// The upload form: checks the file as the server will, sends it, then follows the CV live.
import { csrfToken, on, openStream, postForm, swapFragment } from "./live.js";

const KINDS = { pdf: "pdf", docx: "zip", odt: "zip", rtf: "rtf", txt: "txt" };

async function kindOf(file) {
  const head = new Uint8Array(await file.slice(0, 4096).arrayBuffer());
  const starts = (bytes) => bytes.every((b, i) => head[i] === b);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return "pdf"; // %PDF-
  // A zip: the server checks it is a Word or OpenDocument text.
  if (starts([0x50, 0x4b, 0x03, 0x04])) return "zip";
  if (new TextDecoder().decode(head.slice(0, 16)).trimStart().startsWith("{\\rtf")) return "rtf";
  if (head.length && !head.includes(0)) return "txt";
  if (starts([0xff, 0xfe]) || starts([0xfe, 0xff])) return "txt"; // UTF-16 with its mark
  return null;
}

/** The reason the server would refuse ``file``, or null. */
export async function problemWith(file, maxBytes, messages) {
  if (!file) return messages.badType;
  if (file.size === 0) return messages.empty;
  if (file.size > maxBytes) return messages.tooLarge;
  const extension = (file.name.split(".").pop() || "").toLowerCase();
  const kind = await kindOf(file);
  if (!kind || !(extension in KINDS) || (KINDS[extension] !== kind && extension !== "txt")) {
    return messages.badType;
  }
  return null;
}

export function start(form) {
  const maxBytes = Number(form.dataset.maxBytes);
  const messages = {
    tooLarge: form.dataset.msgTooLarge,
    badType: form.dataset.msgBadType,
    empty: form.dataset.msgEmpty,
  };
  const input = form.querySelector('input[type="file"]');
  const drop = form.querySelector("[data-drop]");
  const errorBox = form.querySelector("[data-file-error]");
  const nameBox = form.querySelector("[data-file-name]");
  const button = form.querySelector('button[type="submit"]');
  const progress = document.querySelector("[data-progress]");
  const result = progress.querySelector("[data-result]");
  const stream = openStream(Number(form.dataset.since));
  let cvId = null;
  const early = [];

  const showError = (text) => {
    errorBox.textContent = text || "";
    errorBox.hidden = !text;
  };
  const check = async () => {
    const file = input.files[0];
    nameBox.textContent = file ? file.name : "";
    const problem = file ? await problemWith(file, maxBytes, messages) : null;
    showError(problem);
    return problem;
  };

  input.addEventListener("change", check);
  for (const type of ["dragenter", "dragover"]) {
    drop.addEventListener(type, (event) => {
      event.preventDefault();
      drop.classList.add("over");
    });
  }
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    if (event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      check();
    }
  });

  const mark = (step) => {
    const order = ["queued", "parsed", "scored"];
    for (const item of progress.querySelectorAll("[data-step]")) {
      const reached = order.indexOf(item.dataset.step) <= order.indexOf(step);
      item.classList.toggle("done", reached);
      if (item.dataset.step === step) item.setAttribute("aria-current", "step");
      else item.removeAttribute("aria-current");
    }
  };
  const handle = async (type, data) => {
    if (data.cv_id !== cvId) return;
    if (type === "cv.parsed") mark("parsed");
    if (type === "cv.scored") {
      mark("scored");
      await swapFragment(`/app/cvs/${cvId}/analysis`, result);
      const link = document.createElement("a");
      link.href = `/app/cvs/${cvId}`;
      link.className = "button";
      link.textContent = form.dataset.msgSee;
      link.dataset.fullAnalysis = "";
      result.prepend(link);
      button.disabled = false;
      button.textContent = button.dataset.label;
    }
    if (type === "cv.failed") {
      // The fragment says why, in the page's language, and what to do.
      await swapFragment(`/app/cvs/${cvId}/analysis`, result);
      button.disabled = false;
      button.textContent = button.dataset.label;
    }
  };
  for (const type of ["cv.parsed", "cv.scored", "cv.failed"]) {
    on(stream, type, (data) => (cvId ? handle(type, data) : early.push([type, data])));
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (await check()) return;
    button.dataset.label = button.dataset.label || button.textContent;
    button.disabled = true;
    button.textContent = form.dataset.msgSending;
    try {
      const body = await postForm(form.action, new FormData(form), csrfToken(form));
      cvId = body.id;
    } catch (error) {
      showError(error.message);
      button.disabled = false;
      button.textContent = button.dataset.label;
      return;
    }
    progress.hidden = false;
    result.replaceChildren();
    mark("queued");
    for (const [type, data] of early.splice(0)) await handle(type, data);
  });
}
