// A requested export: its download link appears when the archive is ready.
import { on, openStream } from "./live.js";

export function start(box) {
  if (box.querySelector("[data-export-download]")) return;
  const stream = openStream(Number(box.dataset.since));
  on(stream, "user.export-ready", (data) => {
    if (data.export_id !== box.dataset.exportId) return;
    const link = document.createElement("a");
    link.className = "button secondary";
    link.href = `/v1/me/exports/${encodeURIComponent(data.export_id)}/download`;
    link.textContent = box.dataset.msgDownload;
    link.dataset.exportDownload = "";
    box.replaceChildren(link);
    stream.close();
  });
}
