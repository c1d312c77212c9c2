import { paintBars } from "./live.js";

paintBars();

const modules = [
  ["[data-upload]", () => import("./upload.js")],
  ["[data-cv-live]", () => import("./cv.js")],
  ["[data-coach]", () => import("./coach.js")],
  ["[data-export]", () => import("./account.js")],
  ["form[data-external]", () => import("./billing.js")],
];
for (const [selector, load] of modules) {
  const element = document.querySelector(selector);
  if (element) load().then((module) => module.start(element));
}

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js").catch(() => {});
}
