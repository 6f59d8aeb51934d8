/* Teaching pages: install the roster's service worker (scope /teach/) and ask it to keep the
   pages listed in #roster-warm (the instructor's current offerings and their days), so they
   open with no network. */
(function () {
    "use strict";
    if (!("serviceWorker" in navigator)) return;
    const listed = document.getElementById("roster-warm");
    const urls = listed ? JSON.parse(listed.textContent) : [];
    navigator.serviceWorker.register("/teach/sw.js", {scope: "/teach/"}).then(function () {
        return navigator.serviceWorker.ready;
    }).then(function (registration) {
        if (urls.length && navigator.onLine) {
            registration.active.postMessage({type: "warm", urls: urls});
        }
    }).catch(function () { /* no worker: the pages still work online */ });
})();
