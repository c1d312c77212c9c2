// Caches the app shell only (our CSS, scripts and icon): pages and the API always go
// to the network, so no user's data is ever kept by the service worker.
const SHELL = "recoloca-shell-v1";
const FILES = [
  "/static/app.css",
  "/static/app.js",
  "/static/live.js",
  "/static/upload.js",
  "/static/cv.js",
  "/static/coach.js",
  "/static/account.js",
  "/static/billing.js",
  "/static/icon.svg",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(FILES)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((names) => Promise.all(names.filter((n) => n !== SHELL).map((n) => caches.delete(n)))),
  );
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin || !FILES.includes(url.pathname)) {
    return;
  }
  // Network first, so a new release shows at once; the cache serves when offline.
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        const copy = response.clone();
        caches.open(SHELL).then((cache) => cache.put(event.request, copy));
        return response;
      })
      .catch(() => caches.match(event.request)),
  );
});
