// On every page: registers the service worker (sw.js), and sends to the diary the
// sessions kept on this device while calmcrown could not be reached.
//
// A kept session waits in localStorage under KEPT with an id of its own, and leaves it
// only once the diary has answered 201 for it (or is found to hold it already, see
// alreadyInDiary). A session the diary refuses (422) stays kept, and every page says so.

export const KEPT = "calmcrown.sessions-kept-on-this-device";
// A running session as it would be recorded if it ended now (session_record.js).
export const RUNNING = "calmcrown.session-running";
export const LEFT_GRACE_MS = 60_000; // gone from the player this long: Back no longer returns to it
export const SILENT_MS = 15 * 60_000; // no word from a player this long: its page was killed
const SESSIONS = "/api/v1/sessions";
const RETRY_MS = 30_000; // the app may come back with no "online" event (a stopped server)
const ownedHere = new Set(); // kept by this page, which reports on them itself (the player)
let sentHere = 0;
let runningHere = false; // this page's player is running a session: never adopt its copy

export function markRunningHere(running) {
  runningHere = running;
}

function keptSessions() {
  try {
    const list = JSON.parse(localStorage.getItem(KEPT) ?? "[]");
    return Array.isArray(list) ? list : [];
  } catch {
    return []; // storage switched off: nothing can have been kept
  }
}

// Each change reads the list and writes it back in the same turn, so that a session kept
// by another tab in the meantime is never written over.
function change(edit) {
  const list = edit(keptSessions());
  if (list.length) localStorage.setItem(KEPT, JSON.stringify(list));
  else localStorage.removeItem(KEPT);
}

/** Keeps a session for the diary: its id, or null if this device could not keep it. */
export function keepOnDevice(body) {
  const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  try {
    change((list) => [...list, { id, body }]);
  } catch {
    return null; // storage full or switched off
  }
  if (!keptSessions().some((entry) => entry.id === id)) return null; // read back, to be sure
  ownedHere.add(id);
  return id;
}

/** Changes a kept session's fields (the after check-in); false if it is no longer kept. */
export function amendKept(id, changes) {
  let found = false;
  try {
    change((list) =>
      list.map((entry) => {
        if (entry.id !== id) return entry;
        found = true;
        return { ...entry, body: { ...entry.body, ...changes } };
      }),
    );
  } catch {
    return false;
  }
  return found;
}

// A session whose player page went away mid-session is kept as ended early when its copy
// was last renewed, and sent with the rest. ``now``: a new session is starting, so the
// one left behind is kept at once, whatever its age.
export function adoptAbandoned(now = false) {
  if (runningHere) return;
  let running;
  try {
    running = JSON.parse(localStorage.getItem(RUNNING) ?? "null");
  } catch {
    return;
  }
  if (!running?.body) return;
  if (!now && Date.now() - running.beat < (running.left ? LEFT_GRACE_MS : SILENT_MS)) return;
  const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  change((list) => [...list, { id, body: running.body }]); // kept first, then let go
  localStorage.removeItem(RUNNING);
}

function leftBehind() {
  try {
    return localStorage.getItem(RUNNING) !== null;
  } catch {
    return false;
  }
}

function csrfToken() {
  // The form token is the csrftoken cookie itself; read now, it is never an expired copy.
  return document.cookie.split("; ").find((c) => c.startsWith("csrftoken="))?.slice(10) ?? "";
}

// A POST whose answer was lost (the connection fell after the diary stored the session)
// leaves the session kept here although the diary has it. So before each send the
// diary's sessions of that date are read, and one equal in every field sent (start
// minute, routine, seconds, answers...) counts as this one and is not sent again. Two
// real sessions are never equal in all of them; if a field ever compared unequal after
// the diary normalised it, the cost is one extra copy per lost answer, never a lost one.
async function alreadyInDiary(body) {
  const response = await fetch(`${SESSIONS}?since=${body.date}&until=${body.date}`);
  if (!response.ok) return null;
  const same = (key, theirs, ours) =>
    key === "time"
      ? String(theirs ?? "").slice(0, 5) === String(ours ?? "")
      : JSON.stringify(theirs ?? null) === JSON.stringify(ours ?? null);
  const sessions = await response.json();
  return sessions.find((s) => Object.entries(body).every(([key, value]) => same(key, s[key], value))) ?? null;
}

function sent(id, session) {
  if (!ownedHere.has(id)) sentHere += 1;
  window.dispatchEvent(new CustomEvent("calmcrown:session-sent", { detail: { id, session } }));
}

async function sendAll() {
  try {
    adoptAbandoned(); // under the same lock as sending: two tabs never adopt one twice
  } catch {
    // storage switched off: nothing was kept
  }
  for (const { id } of keptSessions()) {
    const entry = keptSessions().find((e) => e.id === id); // another tab may have sent it
    if (!entry || entry.refused) continue;
    let response;
    try {
      const found = await alreadyInDiary(entry.body);
      if (found) {
        change((list) => list.filter((e) => e.id !== id));
        sent(id, found.id);
        continue;
      }
      response = await fetch(SESSIONS, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(entry.body),
      });
    } catch {
      return; // still unreachable: kept, and tried again later
    }
    if (response.status === 201) {
      change((list) => list.filter((e) => e.id !== id)); // before anything else can fail
      const saved = await response.json().catch(() => ({}));
      sent(id, saved.id);
    } else if (response.status === 422) {
      change((list) => list.map((e) => (e.id === id ? { ...e, refused: true } : e)));
    } else {
      return; // a server error, a stale token: kept, and tried again later
    }
  }
}

let sending = null;

/** Sends what it can of the kept sessions; resolves when done or the app is still away. */
export function sendKept() {
  // One sender at a time, across this device's tabs too where Web Locks exist, so that
  // a kept session is never posted twice at once.
  const send = () => (navigator.locks ? navigator.locks.request("calmcrown-kept-sessions", sendAll) : sendAll());
  sending ??= send()
    .catch(() => {})
    .finally(() => {
      sending = null;
      renderNotice();
    });
  return sending;
}

const sessions = (n) => (n === 1 ? "1 session" : `${n} sessions`);

function renderNotice() {
  const kept = keptSessions().filter((e) => !ownedHere.has(e.id));
  const refused = kept.filter((e) => e.refused).length;
  const waiting = kept.length - refused;
  const lines = [];
  if (document.documentElement.hasAttribute("data-offline-copy")) {
    lines.push(
      "This is a copy kept on this device: calmcrown cannot be reached right now, " +
        "so it may be out of date, and nothing can be saved from it.",
    );
  }
  if (waiting) {
    lines.push(`${sessions(waiting)} kept on this device, not in your diary yet: sent when calmcrown can be reached.`);
  }
  if (refused) lines.push(`The diary refused ${sessions(refused)} kept on this device; kept here all the same.`);
  if (!lines.length && sentHere) lines.push(`Sent to your diary: ${sessions(sentHere)} kept on this device.`);
  let notice = document.getElementById("offline-notice");
  if (!lines.length) {
    notice?.remove();
    return;
  }
  if (!notice) {
    notice = Object.assign(document.createElement("p"), { id: "offline-notice", className: "warning" });
    notice.setAttribute("role", "status");
    document.querySelector("main")?.prepend(notice);
  }
  notice.textContent = lines.join(" ");
}

if ("serviceWorker" in navigator) {
  // Only where the browser allows workers (https, or this computer's own address). The
  // kept sessions work without one; without a worker nothing else changes.
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
}
window.addEventListener("online", () => sendKept());
setInterval(() => {
  if (keptSessions().some((e) => !e.refused) || (!runningHere && leftBehind())) sendKept();
}, RETRY_MS);
renderNotice();
sendKept();
