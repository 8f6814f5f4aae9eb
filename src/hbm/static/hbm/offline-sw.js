/* The offline desk's service worker (ADR 0127). The server prepends `const SHELL = {...}`:
   the page's path, the static files it needs and a version digest of them.
   The page is asked from the network first, so that a logged-in officer always gets their
   own fresh page; the kept copy answers only when the network does not. Static files come
   from the kept copy. Nothing else (the API, other pages) is touched: requests the worker
   does not know go to the network as if it were not there. */
"use strict";

var CACHE = "hbm-offline-desk-" + SHELL.version;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      var page = new Request(SHELL.page, { credentials: "same-origin", cache: "no-store" });
      return Promise.all([cache.addAll(SHELL.files), fetch(page).then(function (response) {
        if (response.ok && !response.redirected) { return cache.put(SHELL.page, response); }
        return undefined;
      })]);
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("hbm-offline-desk-") === 0 && name !== CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function pageFromNetwork(request) {
  return fetch(request).then(function (response) {
    // Only the officer's own page is kept: never a login page a redirect led to.
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(SHELL.page, copy); });
    }
    return response;
  }, function () {
    return caches.open(CACHE).then(function (cache) { return cache.match(SHELL.page); })
      .then(function (kept) { return kept || Response.error(); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname === SHELL.page) {
    event.respondWith(pageFromNetwork(request));
    return;
  }
  if (SHELL.files.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return cache.match(url.pathname).then(function (kept) { return kept || fetch(request); });
    }));
  }
});
