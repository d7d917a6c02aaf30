// What the player writes to the diary, so that nothing done is lost. A session is
// recorded when it ends, with its planned and actual time; the check-in adds to it.
// While it runs, the session as it would be recorded if it ended now is kept on this
// device, renewed every few seconds: if the page goes mid-session, the next calmcrown
// page records that copy as ended early, once (offline.js, adoptAbandoned).

import {
  LEFT_GRACE_MS,
  RUNNING,
  SILENT_MS,
  adoptAbandoned,
  amendKept,
  keepOnDevice,
  markRunningHere,
  sendKept,
} from "./offline.js";

const SESSIONS = "/api/v1/sessions";

function clockTime(date) {
  return `${String(date.getHours()).padStart(2, "0")}:${String(date.getMinutes()).padStart(2, "0")}`;
}

/** The session as the diary records it: ``actual`` is {phases: {name: s}, total: s}. */
export function sessionBody(plan, settings, actual, outcome, startedAt) {
  const phase = (name) => plan.phases.find((p) => p.name === name)?.seconds ?? null;
  return {
    date: settings.today,
    time: clockTime(startedAt),
    routine: plan.routine,
    given_by: plan.partner_mode ? settings.given_by : "self",
    seconds: actual.total,
    planned_settle_s: phase("settle"),
    planned_practice_s: phase("practice"),
    planned_after_s: phase("after"),
    actual_settle_s: actual.phases.settle ?? 0,
    actual_practice_s: actual.phases.practice ?? 0,
    actual_after_s: actual.phases.after ?? 0,
    pressure: settings.pressure,
    oil: plan.oil,
    pain_before: settings.pain_before,
    outcome,
    verdict: settings.verdict,
    reasons: settings.reasons,
    doctor_checks: settings.doctor_checks,
  };
}

const PAGE = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`; // this page
const ALIVE_MS = 2 * 60_000; // a copy renewed this recently is another open page's, even a hidden one

/** Starts keeping the running copy; a session another page left behind is kept first. */
export function beginRunning(body, resume) {
  try {
    adoptAbandoned(true);
  } catch {
    // storage switched off: nothing was left behind
  }
  keepRunning(body, false, resume);
  sendKept();
}

/** Renews the copy kept while the session runs; ``left`` when the page is going away.
 * ``resume`` is what another page needs to carry the session on (the plan, the step). */
export function keepRunning(body, left = false, resume = null) {
  markRunningHere(!left);
  try {
    localStorage.setItem(RUNNING, JSON.stringify({ body, beat: Date.now(), left, page: PAGE, resume }));
  } catch {
    // Storage full or switched off: the session is still recorded when it ends here.
  }
}

function runningCopy() {
  try {
    return JSON.parse(localStorage.getItem(RUNNING) ?? "null");
  } catch {
    return null;
  }
}

/** The session left running on this device, for /session to carry on: ``{copy}`` when
 * its page went away (within the minute in which Back returns to it) or went silent,
 * ``{elsewhere}`` when a page still open seems to run it, ``{}`` when there is none or
 * it is past returning to (it is then recorded as ended early, offline.js). */
export function sessionToCarryOn(force = false) {
  const copy = runningCopy();
  if (!copy?.resume) return {};
  const age = Date.now() - copy.beat;
  if (copy.left ? age >= LEFT_GRACE_MS : age >= SILENT_MS) return {};
  if (!copy.left && age < ALIVE_MS && !force) return { elsewhere: true };
  markRunningHere(true); // from now on this page runs it: never adopted under it
  return { copy };
}

/** Calls ``then`` when another page takes over the session this page was running. */
export function onTakenOver(then) {
  window.addEventListener("storage", (event) => {
    if (event.key !== RUNNING || event.newValue === null) return;
    try {
      if (JSON.parse(event.newValue).page === PAGE) return;
      markRunningHere(false);
      then();
    } catch {
      // not a copy this app wrote
    }
  });
}

/** Where this page's session is now: "here" (its copy is still this page's),
 * "elsewhere" (another page carries it on) or "gone" (recorded, by this page or another). */
export function runningWhere() {
  try {
    const text = localStorage.getItem(RUNNING);
    if (text === null) return "gone";
    return JSON.parse(text).page === PAGE ? "here" : "elsewhere";
  } catch {
    return "here"; // storage switched off: no other page can have taken it
  }
}

function stopRunning() {
  markRunningHere(false);
  try {
    localStorage.removeItem(RUNNING);
  } catch {
    // nothing was kept
  }
}

function headers(settings) {
  return { "Content-Type": "application/json", "X-CSRFToken": settings.csrftoken };
}

/** One recorded session: saved when it ends, then given the after check-in. */
export class SessionRecord {
  constructor(settings, say) {
    this.settings = settings;
    this.say = say; // shows a line to the person
    this.diaryId = null; // the diary's id once it has the session
    this.keptId = null; // its id on this device while the diary cannot be reached
    this.saving = null;
    window.addEventListener("calmcrown:session-sent", (event) => {
      if (this.keptId !== null && event.detail.id === this.keptId) {
        this.keptId = null;
        this.diaryId = event.detail.session ?? null;
        this.say("Saved to your diary.");
      }
    });
  }

  /** Records the ended session; resolves to what to tell the person. */
  save(body) {
    this.saving ??= this.#post(body);
    return this.saving;
  }

  async #post(body) {
    let response;
    try {
      response = await fetch(SESSIONS, { method: "POST", headers: headers(this.settings), body: JSON.stringify(body) });
    } catch {
      // The app cannot be reached: kept on this device first, then the running copy
      // goes, so that the session is never in neither place. offline.js sends it later.
      this.keptId = keepOnDevice(body);
      if (this.keptId !== null) stopRunning();
      return this.keptId
        ? "Kept on this device: calmcrown cannot be reached. It goes to your diary when calmcrown is back."
        : "Not saved: calmcrown cannot be reached, and this device could not keep it.";
    }
    if (response.status !== 201) {
      // Kept all the same, and every page says the diary refused it: nothing is lost.
      this.keptId = keepOnDevice(body);
      if (this.keptId !== null) stopRunning();
      return "Not in your diary: it refused the session. It is kept on this device.";
    }
    stopRunning();
    this.diaryId = (await response.json().catch(() => ({}))).id ?? null;
    return "Saved to your diary.";
  }

  /** Adds the after check-in to the recorded session; resolves to what to say. */
  async checkIn(answers) {
    await this.saving;
    if (this.keptId !== null && amendKept(this.keptId, answers)) {
      return "Kept on this device with how you feel now; it goes to your diary when calmcrown is back.";
    }
    if (this.diaryId === null) return "Not saved: the session is not in your diary yet.";
    try {
      const response = await fetch(`${SESSIONS}/${this.diaryId}`, {
        method: "PATCH",
        headers: headers(this.settings),
        body: JSON.stringify(answers),
      });
      return response.ok ? "Saved to your diary, with how you feel now." : "Not saved: the diary refused it.";
    } catch {
      return "Not saved: calmcrown cannot be reached. The session itself is in your diary.";
    }
  }
}
