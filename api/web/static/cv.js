// A CV page: the analysis appears (or is replaced) when a new one is ready.
import { csrfToken, on, openStream, postForm, swapFragment } from "./live.js";

export function start(root) {
  const cvId = root.dataset.cvId;
  const status = () => root.querySelector("[data-analysis]")?.dataset.status;
  const stream = openStream(Number(root.dataset.since));
  const refresh = (data) => {
    if (data.cv_id === cvId) swapFragment(`/app/cvs/${cvId}/analysis`, root);
  };
  for (const type of ["cv.parsed", "cv.scored", "cv.failed", "report.ready"]) {
    on(stream, type, (data) => {
      if (type !== "cv.parsed" || ["queued", "parsed"].includes(status())) refresh(data);
    });
  }
  // The match form lives in the fragment, which is replaced: listen on the root.
  root.addEventListener("submit", async (event) => {
    const form = event.target.closest("form[data-match]");
    if (!form) return;
    event.preventDefault();
    const error = form.querySelector("[data-match-error]");
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      await postForm(form.action, new FormData(form), csrfToken(form));
      error.hidden = false;
      error.className = "notice";
      error.textContent = form.dataset.msgWaiting;
    } catch (problem) {
      error.className = "alert";
      error.textContent = problem.message;
      error.hidden = false;
      button.disabled = false;
    }
  });
}
