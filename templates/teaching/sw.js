/* The roster's service worker (issue 19), scope /teach/. Teaching pages: network first, the
   last copy when the network is gone. Static files: from the cache this version installed.
   Marks are not kept here: the day page queues them in IndexedDB (roster-offline.js). */
"use strict";
const CACHE = "dn-roster-{{ version }}";
const ASSETS = {{ assets|safe }};
const OFFLINE_PAGE = "<!doctype html><html lang=en><title>Offline</title><h1>You are offline</h1>" +
    "<p>This page was not opened while online, so it is not on this phone. Open the day's roster " +
    "from Teaching when you are online, and it will be here next time.</p></html>";

self.addEventListener("install", (event) => {
    event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
    event.waitUntil(caches.keys()
        .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
        .then(() => self.clients.claim()));
});

async function keep(request, response) {
    // Only the page itself: a redirect (to sign in) means the session is gone, and so must be
    // the rosters kept for it.
    if (response.redirected) {
        await caches.delete(CACHE);
    } else if (response.ok) {
        const cache = await caches.open(CACHE);
        await cache.put(request, response);
    }
}

async function pageFirstFromNetwork(request) {
    try {
        const response = await fetch(request);
        await keep(request, response.clone());
        return response;
    } catch (error) {
        const kept = await caches.match(request, {ignoreSearch: true});
        return kept || new Response(OFFLINE_PAGE, {status: 503, headers: {"Content-Type": "text/html"}});
    }
}

async function warm(urls) {
    await Promise.all(urls.map(async (url) => {
        try {
            await keep(new Request(url), await fetch(url, {credentials: "same-origin"}));
        } catch (error) { /* offline again: the next visit tries */ }
    }));
}

self.addEventListener("message", (event) => {
    if (event.data && event.data.type === "warm") event.waitUntil(warm(event.data.urls || []));
});

self.addEventListener("fetch", (event) => {
    const request = event.request;
    const url = new URL(request.url);
    if (request.method !== "GET" || url.origin !== self.location.origin) return;
    if (request.mode === "navigate" && url.pathname.startsWith("/teach/")) {
        event.respondWith(pageFirstFromNetwork(request));
    } else if (ASSETS.includes(url.pathname)) {
        event.respondWith(caches.match(request).then((kept) => kept || fetch(request)));
    }
});
