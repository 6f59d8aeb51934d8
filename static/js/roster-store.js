/* What the roster keeps on this phone (issue 19), in one place: the IndexedDB queue of marks
   not yet synced (roster-offline.js writes it) and the pages the service worker keeps
   (teaching/sw.js). Sign-out (sign-out.js) asks what is still waiting and then forgets it all,
   so a shared phone keeps no learner's name after the instructor signs out. */
(function () {
    "use strict";
    const DB = "dn-roster";

    function open() {
        return new Promise((resolve, reject) => {
            const request = indexedDB.open(DB, 1);
            request.onupgradeneeded = () => request.result.createObjectStore("marks", {keyPath: "id"});
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
        });
    }

    function store(mode, work) {
        return open().then((db) => new Promise((resolve, reject) => {
            const tx = db.transaction("marks", mode);
            const request = work(tx.objectStore("marks"));
            tx.oncomplete = () => { db.close(); resolve(request ? request.result : undefined); };
            tx.onerror = () => { db.close(); reject(tx.error); };
        }));
    }

    async function exists() {
        // Opening would create the database on a phone that never held a roster.
        if (!("indexedDB" in window)) return false;
        if (!indexedDB.databases) return true;
        return (await indexedDB.databases()).some((db) => db.name === DB);
    }

    async function waiting() {
        if (!(await exists())) return [];
        const marks = await store("readonly", (s) => s.getAll());
        return marks.filter((m) => m.state === "waiting").sort((a, b) => a.seq - b.seq);
    }

    function dropDatabase() {
        // "blocked" (a roster open in another tab) still deletes once that tab lets go.
        return new Promise((resolve) => {
            const request = indexedDB.deleteDatabase(DB);
            request.onsuccess = request.onerror = request.onblocked = () => resolve();
        });
    }

    async function forget() {
        // The roster's worker is the only one this site installs, and its caches the only ones.
        const tasks = [];
        if ("caches" in window) {
            tasks.push(caches.keys().then((names) => Promise.all(names.map((n) => caches.delete(n)))));
        }
        if ("serviceWorker" in navigator) {
            tasks.push(navigator.serviceWorker.getRegistrations().then((regs) =>
                Promise.all(regs.map((r) => r.unregister()))));
        }
        if (await exists()) tasks.push(dropDatabase());
        await Promise.allSettled(tasks);
    }

    window.dnRosterStore = {store, waiting, forget};
})();
