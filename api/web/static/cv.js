// A CV page opened before its analysis finished: the analysis appears when it is ready.
import { on, openStream, swapFragment } from "./live.js";

export function start(root) {
  const cvId = root.dataset.cvId;
  const pending = () => ["queued", "parsed"].includes(root.querySelector("[data-analysis]")?.dataset.status);
  const stream = openStream(Number(root.dataset.since));
  const refresh = (data) => {
    if (data.cv_id === cvId) swapFragment(`/app/cvs/${cvId}/analysis`, root);
  };
  for (const type of ["cv.parsed", "cv.scored", "cv.failed", "report.ready"]) {
    on(stream, type, (data) => {
      if (type === "report.ready" || pending() || type === "cv.scored") refresh(data);
    });
  }
}
