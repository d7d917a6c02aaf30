// calmcrown's service worker: a session that has started runs to its end even if the app
// can no longer be reached (the server stopped, the laptop went to sleep, the Wi-Fi fell).
//
// The player page is the answer to a POST, so it cannot be kept by its URL; what is kept
// is what it needs once loaded: its script and style (kept on install), the cue audio and
// the figures (kept as the player fetches them). Pages are fetched from the app first and
// shown from a copy only when the app cannot be reached. The diary API and anything but GET always go
// to the app, so nothing is ever answered from a copy that could pass for "saved".

// Filled in by calmcrown.web.offline: calmcrown's version and a digest of its files, so
// that an upgrade installs a new worker and throws the old caches away.
const BUILD = { version: "dev", assets: [], pages: [] };
const CACHE = `calmcrown-${BUILD.version}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // cache: "reload" goes past the HTTP cache, so an upgrade never keeps an old file.
      await cache.addAll(BUILD.assets.map((url) => new Request(url, { cache: "reload" })));
      // A page that cannot be kept must not stop the player's files from being kept.
      await Promise.allSettled(BUILD.pages.map((url) => keepPage(cache, new Request(url, { cache: "reload" }))));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("calmcrown-") && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim(); // the page that registered the worker is covered at once
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // Not handled, so straight to the app: writes, the API, other sites.
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (url.pathname === "/audio/cue.wav" || url.pathname.startsWith("/static/") || url.pathname.startsWith("/figures/")) {
    event.respondWith(cacheFirst(event));
  } else if (request.mode === "navigate") {
    event.respondWith(networkFirst(event));
  }
});

async function cacheFirst(event) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(event.request, { ignoreVary: true });
  if (kept) return kept;
  const response = await fetch(event.request);
  // Only whole answers: an audio element asks for byte ranges, and a 206 cannot be kept.
  if (response.status === 200) event.waitUntil(cache.put(event.request, response.clone()));
  return response;
}

async function keepPage(cache, request) {
  const response = await fetch(request);
  if (!isPage(request, response)) throw new Error(`not kept: ${request.url}`);
  await cache.put(request, response);
}

function isPage(request, response) {
  // A query string marks a one-time answer ("/?saved=intensity", "/diary?deleted=..."):
  // shown again from a copy it would claim something that did not just happen.
  return (
    response.status === 200 &&
    response.type === "basic" &&
    !response.redirected &&
    new URL(request.url).search === "" &&
    (response.headers.get("Content-Type") ?? "").startsWith("text/html")
  );
}

async function networkFirst(event) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(event.request);
    if (isPage(event.request, response)) event.waitUntil(cache.put(event.request, response.clone()));
    return response;
  } catch {
    const kept = await cache.match(event.request, { ignoreVary: true });
    return kept ? markedAsCopy(kept) : unreachable();
  }
}

async function markedAsCopy(kept) {
  // offline.js sees the mark and says that the page is a copy and may be out of date.
  const html = (await kept.text()).replace("<html ", "<html data-offline-copy ");
  const headers = new Headers(kept.headers);
  headers.delete("Content-Length");
  return new Response(html, { status: 200, headers });
}

function unreachable() {
  const html =
    '<!doctype html><html lang="en"><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    "<title>calmcrown cannot be reached</title>" +
    "<p>calmcrown cannot be reached right now, and this page was not kept on this device.</p>" +
    '<p><a href="/">Today</a> may have been kept.</p></html>';
  return new Response(html, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": "default-src 'none'" },
  });
}
