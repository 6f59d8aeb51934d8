/* The day's roster, offline first (issue 19). Marks the instructor makes with no network
   (attendance, assessments, check-ins) are queued in IndexedDB, each with an id made here, and
   listed as "waiting to sync"; they survive a reload or a sleeping phone. When the network is
   back they go to POST /api/v1/roster/sync/, which applies each once by its id and answers
   applied, already applied or refused with a reason. Refused marks stay listed with the
   reason until dismissed or corrected. Sign-off still needs the network. */
(function () {
    "use strict";
    const root = document.querySelector("[data-roster-offline]");
    const configNode = document.getElementById("roster-config");
    if (!root || !configNode || !("indexedDB" in window) || !window.dnRosterStore) return;
    const config = JSON.parse(configNode.textContent);
    const form = document.querySelector("[data-roster-form]");
    const list = root.querySelector("[data-queue]");
    const statusLine = root.querySelector("[data-sync-status]");
    const names = Object.fromEntries(config.learners.map((l) => [l.enrollment, l.name]));
    let syncing = false;
    let waiting = 0;

    // --- IndexedDB: one store of marks, keyed by their id (roster-store.js) -----------------
    const store = window.dnRosterStore.store;
    const allMarks = () => store("readonly", (s) => s.getAll()).then((marks) =>
        marks.filter((m) => m.offering === config.offering).sort((a, b) => a.seq - b.seq));
    const putMark = (mark) => store("readwrite", (s) => s.put(mark));
    const dropMark = (id) => store("readwrite", (s) => s.delete(id));

    function newId() {
        if (crypto.randomUUID) return crypto.randomUUID();
        const b = crypto.getRandomValues(new Uint8Array(16));
        b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
        const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
        return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    }

    async function queue(payload, label) {
        // A newer attendance mark for the same learner and day replaces one not yet sent.
        if (payload.kind === "attendance") {
            for (const old of await allMarks()) {
                if (old.state === "waiting" && old.payload.kind === "attendance" &&
                    old.payload.day === payload.day && old.payload.enrollment === payload.enrollment) {
                    await dropMark(old.id);
                }
            }
        }
        // The page it was made on is where sign-out sends the instructor to sync it.
        await putMark({id: newId(), seq: Date.now() + Math.random(), offering: config.offering,
                       page: location.pathname, state: "waiting", reasons: [], label: label,
                       payload: payload});
    }

    // --- What the instructor sees ------------------------------------------------------------
    function say(text) { statusLine.textContent = text; }

    function button(text, onClick) {
        const b = document.createElement("button");
        b.type = "button"; b.className = "link-button"; b.textContent = text;
        b.addEventListener("click", onClick);
        return b;
    }

    async function render(first = false) {
        const marks = await allMarks();
        waiting = marks.filter((m) => m.state === "waiting").length;
        list.replaceChildren(...marks.map((mark) => {
            const item = document.createElement("li");
            item.className = "queue-item" + (mark.state === "refused" ? " queue-item--refused" : "");
            const label = document.createElement("span");
            label.textContent = mark.label;
            const state = document.createElement("strong");
            state.textContent = mark.state === "refused" ? "Refused: " + mark.reasons.join(" ") : "Waiting to sync";
            item.append(label, " · ", state);
            if (mark.state === "refused") {
                item.append(" ", button("Dismiss", () => dropMark(mark.id).then(render)));
                if (mark.payload.kind === "attendance" && mark.payload.day === config.day) {
                    item.append(" ", button("Correct", () => correct(mark)));
                }
            }
            return item;
        }));
        root.querySelector("[data-queue-empty]").hidden = marks.length > 0;
        showOnCards(marks, first);
        const signOff = form && form.querySelector("[name=sign_off]");
        if (signOff) signOff.disabled = !navigator.onLine || waiting > 0;
        root.querySelector("[data-signoff-note]").hidden = navigator.onLine && waiting === 0;
    }

    function card(enrollment) {
        return form && form.querySelector(`[data-enrollment="${enrollment}"]`);
    }

    function showOnCards(marks, restore) {
        // The cards take the waiting marks' values once, when the page opens (a reload while
        // offline); later they are the instructor's to edit.
        if (!form) return;
        form.querySelectorAll("[data-card-queue]").forEach((n) => { n.textContent = ""; });
        for (const mark of marks) {
            const p = mark.payload;
            const target = p.kind === "attendance" && p.day === config.day && card(p.enrollment);
            if (!target) continue;
            target.querySelector("[data-card-queue]").textContent =
                mark.state === "refused" ? "Refused, see the list above" : "Waiting to sync";
            if (restore && mark.state === "waiting") setCard(target, p.mark, p.hours);
        }
    }

    function setCard(target, mark, hours) {
        const radio = target.querySelector(`input[type=radio][value="${mark}"]`);
        if (radio) radio.checked = true;
        target.querySelector("input[name^=hours_]").value = mark === "partial" ? hours : "";
    }

    async function correct(mark) {
        const target = card(mark.payload.enrollment);
        await dropMark(mark.id);
        setCard(target, mark.payload.mark, mark.payload.hours);
        target.querySelector("input[type=radio]:checked").focus();
        say("Change the mark, then save attendance again.");
        render();
    }

    // --- Sync --------------------------------------------------------------------------------
    function csrfToken() {
        const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
        return cookie ? cookie.slice("csrftoken=".length) : config.csrf;
    }

    async function sync() {
        if (syncing || !navigator.onLine) return;
        const pending = (await allMarks()).filter((m) => m.state === "waiting");
        if (!pending.length) return;
        syncing = true;
        let retry = false;
        try {
            say("Syncing " + pending.length + " mark(s)…");
            const response = await fetch(config.syncUrl, {
                method: "POST", credentials: "same-origin",
                headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken()},
                body: JSON.stringify({offering: config.offering,
                                      marks: pending.map((m) => ({id: m.id, ...m.payload}))}),
            });
            const body = await response.json().catch(() => ({}));
            if (response.status === 200) {
                let applied = 0, refused = 0;
                for (const [i, result] of body.results.entries()) {
                    if (result.status === "refused") {
                        refused += 1;
                        await putMark({...pending[i], state: "refused", reasons: result.reasons});
                    } else {
                        applied += 1;
                        await dropMark(pending[i].id);
                    }
                }
                say(`Synced: ${applied} applied` + (refused ? `, ${refused} refused.` : ".") +
                    (applied ? " Reload the page to see the record." : ""));
            } else if (response.status === 400 && body.marks && typeof body.marks === "object") {
                // Bad marks are refused with their errors; the rest were not applied: send again.
                for (const [i, errors] of Object.entries(body.marks)) {
                    await putMark({...pending[Number(i)], state: "refused",
                                   reasons: Object.values(errors).flat()});
                }
                retry = true;
            } else if (response.status === 403 && body.code === "roster_refused") {
                for (const mark of pending) await putMark({...mark, state: "refused", reasons: body.reasons});
                say(body.detail);
            } else {
                say(response.status === 403 ? "Sign in again to sync the waiting marks." :
                    `Sync failed (HTTP ${response.status}); the marks wait and are sent again.`);
            }
        } catch (error) {
            say("No network: the marks wait and are sent when it is back.");
        } finally {
            syncing = false;
            await render();
        }
        if (retry) sync();
    }

    // --- Attendance: the roster form, queued when offline or when marks already wait -------
    if (form) {
        form.addEventListener("submit", (event) => {
            const signingOff = event.submitter && event.submitter.name === "sign_off";
            if (signingOff) {
                if (!navigator.onLine || waiting > 0) {
                    event.preventDefault();
                    say("Sign-off needs the network and every mark synced first.");
                }
                return;
            }
            if (navigator.onLine && waiting === 0) return;  // the page saves it as usual
            event.preventDefault();
            queueAttendance();
        });
    }

    async function queueAttendance() {
        const marks = [];
        for (const target of form.querySelectorAll("[data-enrollment]")) {
            const enrollment = Number(target.dataset.enrollment);
            const checked = target.querySelector("input[type=radio]:checked");
            const hours = target.querySelector("input[name^=hours_]").value.trim();
            if (!checked) continue;
            if (checked.value === "partial" && !hours) {
                say(`Give the hours attended for ${names[enrollment]}'s partial day.`);
                target.querySelector("input[name^=hours_]").focus();
                return;
            }
            marks.push({enrollment, mark: checked.value, hours: checked.value === "partial" ? hours : null});
        }
        for (const m of marks) {
            const what = m.mark === "partial" ? `partial, ${m.hours} h` : m.mark;
            await queue({kind: "attendance", day: config.day, enrollment: m.enrollment, mark: m.mark,
                         hours: m.hours}, `${names[m.enrollment]}, ${config.dayLabel}: ${what}`);
        }
        say(`${marks.length} mark(s) waiting to sync.`);
        await render();
        sync();
    }

    // --- Assessments ----------------------------------------------------------------------------
    const assessment = document.querySelector("[data-assessment-form]");
    if (assessment) {
        assessment.addEventListener("submit", async (event) => {
            event.preventDefault();
            const enrollment = Number(assessment.elements.enrollment.value);
            const written = assessment.elements.written_score.value.trim();
            const practical = assessment.elements.practical.value;
            const payload = {kind: "assessment", enrollment};
            const parts = [];
            if (written !== "") { payload.written_score = Number(written); parts.push(`written ${written}`); }
            if (practical !== "") { payload.practical_passed = practical === "pass"; parts.push(`practical ${practical}`); }
            if (!parts.length) { say("Give a written score, a practical result, or both."); return; }
            await queue(payload, `${names[enrollment]}: ${parts.join(", ")}`);
            assessment.reset();
            say(`Assessment for ${names[enrollment]} waiting to sync.`);
            await render();
            sync();
        });
    }

    // --- Check-in: a scanned QR code or a typed short code ------------------------------------
    const checkin = document.querySelector("[data-checkin]");

    async function checkIn(text) {
        const code = text.trim();
        let enrollment;
        if (code.split(":").length === 3) {
            const [seat, date] = code.split(":");
            if (date !== config.date) { say(`This check-in code is for ${date}, not this day.`); return; }
            enrollment = Number(seat);
        } else {
            enrollment = config.codes[code.toUpperCase().replace(/[^A-Z0-9]/g, "")];
        }
        if (!names[enrollment]) { say("No seat on this day's roster has that code."); return; }
        await queue({kind: "checkin", day: config.day, code: code},
                    `${names[enrollment]}, ${config.dayLabel}: checked in`);
        say(`${names[enrollment]} checked in.`);
        await render();
        sync();
    }

    async function decode(source, width, height) {
        if ("BarcodeDetector" in window) {
            try {
                const found = await new BarcodeDetector({formats: ["qr_code"]}).detect(source);
                if (found.length) return found[0].rawValue;
            } catch (error) { /* fall back to jsQR */ }
        }
        if (!window.jsQR) return null;
        const canvas = document.createElement("canvas");
        canvas.width = width; canvas.height = height;
        const context = canvas.getContext("2d", {willReadFrequently: true});
        context.drawImage(source, 0, 0, width, height);
        const found = window.jsQR(context.getImageData(0, 0, width, height).data, width, height);
        return found ? found.data : null;
    }

    let stream = null;
    async function scanCamera() {
        const video = checkin.querySelector("video");
        try {
            stream = await navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}});
        } catch (error) {
            say("The camera is not available: take a photo of the code or type it."); return;
        }
        video.srcObject = stream; video.hidden = false; await video.play();
        say("Point the camera at the learner's code.");
        while (stream) {
            const text = video.videoWidth ? await decode(video, video.videoWidth, video.videoHeight) : null;
            if (text) { stopCamera(); await checkIn(text); return; }
            await new Promise((resolve) => setTimeout(resolve, 250));
        }
    }
    function stopCamera() {
        if (stream) stream.getTracks().forEach((t) => t.stop());
        stream = null;
        checkin.querySelector("video").hidden = true;
    }

    if (checkin) {
        checkin.querySelector("[data-checkin-code]").addEventListener("submit", (event) => {
            event.preventDefault();
            const input = event.target.elements.code;
            checkIn(input.value).then(() => { input.value = ""; });
        });
        checkin.querySelector("[data-checkin-photo]").addEventListener("change", async (event) => {
            const file = event.target.files[0];
            if (!file) return;
            const bitmap = await createImageBitmap(file);
            const text = await decode(bitmap, bitmap.width, bitmap.height);
            event.target.value = "";
            if (text) await checkIn(text); else say("No QR code found in that photo: try again or type the code.");
        });
        const camera = checkin.querySelector("[data-checkin-camera]");
        camera.hidden = !(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
        camera.addEventListener("click", () => (stream ? stopCamera() : scanCamera()));
    }

    window.addEventListener("online", () => { render(); sync(); });
    window.addEventListener("offline", () => { say("Offline: marks are kept on this phone."); render(); });
    root.hidden = false;
    document.querySelectorAll("[data-needs-script]").forEach((n) => { n.hidden = false; });
    render(true).then(() => { root.dataset.ready = "true"; sync(); });
})();
