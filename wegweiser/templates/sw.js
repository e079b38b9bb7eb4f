/* Wegweiser service worker: pages you open stay readable offline; a new deploy brings new content.
   HTML: network first, cache as fallback (so readers online always get the newest text).
   Assets: cache first (their names change when their content changes).
   The version below changes with every deploy; old caches are deleted on activation. */
const VERSION = "__VERSION__";
const PAGES = "ww-pages-" + VERSION;
const ASSETS = "ww-assets-" + VERSION;
const CORE = __CORE__;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(ASSETS).then((cache) => cache.addAll(CORE.map((p) => new URL(p, self.registration.scope)))).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("ww-") && k !== "ww-saved" && !k.endsWith(VERSION)).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  const isPage = request.mode === "navigate" || url.pathname.endsWith("/") || url.pathname.endsWith(".html") || url.pathname.endsWith(".json");
  if (isPage) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            caches.open(PAGES).then((cache) => cache.put(request, copy));
          }
          return response;
        })
        .catch(() => caches.match(request, { ignoreSearch: true }).then((hit) => hit || caches.match(new URL("404.html", self.registration.scope))))
    );
    return;
  }
  event.respondWith(
    caches.match(request).then((hit) => hit || fetch(request).then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(ASSETS).then((cache) => cache.put(request, copy));
      }
      return response;
    }))
  );
});

/* The page asks us to keep whole guides: {type: "save", urls: [...]} */
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "save" || !Array.isArray(data.urls)) return;
  event.waitUntil(
    caches.open(PAGES)
      .then((cache) => cache.addAll(data.urls))
      .then(() => event.source && event.source.postMessage({ type: "saved", ok: true }))
      .catch(() => event.source && event.source.postMessage({ type: "saved", ok: false }))
  );
});
