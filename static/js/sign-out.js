/* Sign-out on a shared phone (issue 19): before the sign-out form is sent, forget the rosters
   this phone keeps (roster-store.js), so the next person finds no learner's name. Marks not yet
   synced are never dropped unasked: the instructor is told, and may open the roster to sync
   them first or discard them knowingly. Without JavaScript sign-out works as before. */
(function () {
    "use strict";
    const action = document.currentScript && document.currentScript.dataset.logoutUrl;
    const rosterStore = window.dnRosterStore;
    if (!action || !rosterStore) return;

    function isSignOut(form) {
        return form instanceof HTMLFormElement && new URL(form.action, location.href).pathname === action;
    }

    function signOut(form) {
        form.dataset.forgotten = "true";
        // form.submit() fires no submit event, so this handler does not run again.
        rosterStore.forget().finally(() => form.submit());
    }

    function element(tag, attributes, ...children) {
        const node = Object.assign(document.createElement(tag), attributes);
        node.append(...children);
        return node;
    }

    function warn(form, marks) {
        const count = marks ? `${marks.length} mark${marks.length === 1 ? "" : "s"}` : "Marks";
        const sync = element("a", {className: "button", href: (marks && marks[0].page) || "/teach/"},
                             "Open the roster to sync them");
        const discard = element("button", {type: "button", className: "button button--danger"},
                                "Discard them and sign out");
        const stay = element("button", {type: "button", className: "button button--secondary"},
                             "Stay signed in");
        const dialog = element("dialog", {className: "sign-out-dialog"},
            element("h2", {id: "sign-out-title"}, "Marks not synced yet"),
            element("p", {}, `${count} made on this phone ${marks && marks.length === 1 ? "has" : "have"} ` +
                "not reached DN Tracker yet. Signing out clears the rosters kept on this phone, " +
                "and these marks with them."),
            element("ul", {}, ...(marks || []).map((m) => element("li", {}, m.label))),
            element("p", {className: "sign-out-dialog__actions"}, sync, discard, stay));
        dialog.setAttribute("aria-labelledby", "sign-out-title");
        discard.addEventListener("click", () => { dialog.close(); signOut(form); });
        stay.addEventListener("click", () => dialog.close());
        dialog.addEventListener("close", () => dialog.remove());
        document.body.append(dialog);
        dialog.showModal();
        sync.focus();
    }

    document.addEventListener("submit", async (event) => {
        const form = event.target;
        if (!isSignOut(form) || form.dataset.forgotten) return;
        event.preventDefault();
        let marks = null;  // unreadable: warn rather than risk losing them
        try { marks = await rosterStore.waiting(); } catch (error) { /* keep null */ }
        if (marks && !marks.length) signOut(form); else warn(form, marks);
    });
})();
