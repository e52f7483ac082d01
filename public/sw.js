// Nærvær's service worker. The build stamps the app shell's file list and a
// content hash into the two constants below (see `cargo xtask stamp`).
const PRECACHE = /*PRECACHE*/[];
const VERSION = "/*VERSION*/";
const CACHE = "naervaer-shell-" + VERSION;
const NETWORK_TIMEOUT_MS = 3000;

// A new version installs in the background and waits: the page offers it
// ("Ny version klar") and the user chooses when to take it, so code is
// never swapped under someone filling in a form.
self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") {
    self.skipWaiting();
  }
});

// Once taken, the new version drops old shells, so nobody is trapped on a stale one.
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("naervaer-shell-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then((v) => { clearTimeout(timer); resolve(v); }, (e) => { clearTimeout(timer); reject(e); });
  });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // The API is never cached: the app keeps its own data in storage.
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) {
    return;
  }
  if (request.mode === "navigate") {
    // Pages: the network when it answers soon (new versions arrive), else the cached shell.
    event.respondWith(
      withTimeout(fetch(request), NETWORK_TIMEOUT_MS)
        .catch(() => caches.match("/index.html", { cacheName: CACHE }))
        .then((response) => response || caches.match("/index.html"))
    );
    return;
  }
  // Hashed assets and icons: the cache first, the network for anything else.
  event.respondWith(
    caches.match(request, { cacheName: CACHE }).then((cached) => cached || fetch(request))
  );
});
