// calmcrown's session player: exact, hands-free cues for a planned massage session.
//
// Every time is computed from one start time read with performance.now(); pausing and
// skipping move that reference instead of counting intervals, so nothing drifts. Each cue
// is written into an aria-live region (read by screen readers, and by the tests) and
// spoken: by the browser's voice if it has one, else by audio the server renders with
// espeak-ng, else by a chime made with Web Audio.
//
// Once loaded it needs the app only to save: the cue audio is fetched ahead for the
// service worker to keep, and a session that cannot be sent is kept on this device.

import {
  SessionRecord,
  beginRunning,
  keepRunning,
  onTakenOver,
  runningWhere,
  sessionBody,
  sessionToCarryOn,
} from "./session_record.js";

const $ = (id) => document.getElementById(id);
const pageSettings = JSON.parse($("player-settings").textContent);
// The player page comes with its plan. /session (where Back or a reload leads) has none:
// it carries on the session this device kept, paused where it was.
const given = JSON.parse($("plan-data").textContent);
const carried = given ? null : sessionToCarryOn(new URLSearchParams(location.search).has("here"));
const kept = carried?.copy?.resume ?? null;
const plan = given ?? kept?.plan ?? { steps: [], cues: [], phases: [], total_seconds: 0 };
const settings = kept ? { ...kept.settings, csrftoken: pageSettings.csrftoken } : pageSettings;
const shown = kept ?? {
  title: document.querySelector(".routine-name").textContent,
  stopIf: $("stop-if").textContent,
  changes: [...document.querySelectorAll(".changes li")].map((item) => item.textContent),
};

const live = $("cue-live");
const clock = $("countdown");
const stepName = $("step-name");
const stepHow = $("step-how");
const phaseName = $("phase-name");
const pauseButton = $("pause");
const skipButton = $("skip");
const endButton = $("end");

let startAt = null; // performance.now() at plan second 0, shifted by pauses and skips
let pausedAt = null;
let timer = null;
let nextCue = 0; // the next of the moments below
let finished = false;
const skips = []; // [fromSecond, toSecond] spans jumped over, not counted as done
let wakeLock = null;
const record = new SessionRecord(settings, (said) => ($("after-status").textContent = said));
let startedAt = null; // the wall-clock start, for the diary's time of day
let beat = null;
const BEAT_MS = 5_000;

// Cues planned for the same second (a phase and its first step, a step's name, cautions
// and how-to) are one announcement: shown and spoken together, and kept as one piece of
// audio for offline use. A moment takes the kind of its last cue; the planner puts the
// end last within its second. The how-to is left out when it is not to be read aloud: it
// is on screen all the same.
// The page leaves out a cue's text where it can be rebuilt (check_page.py, _player_plan):
// a how-to or caution cue is its step's lines, joined as the planner joins them; any
// other empty text is what the last cue of its kind said.
const saidLast = {};
function cueText(cue) {
  const step = () => plan.steps.find((s) => s.start_s === cue.at_s);
  if (cue.kind === "how") return step().how.join(" ");
  if (cue.kind === "caution") return `Take care. ${step().cautions.join(" ")}`;
  if (cue.text === "") return saidLast[cue.kind];
  saidLast[cue.kind] = cue.text;
  return cue.text;
}

const moments = [];
for (const planned of plan.cues) {
  if (planned.kind === "how" && !settings.read_how) continue;
  const cue = { ...planned, text: cueText(planned) };
  const last = moments[moments.length - 1];
  if (last && last.at_s === cue.at_s) Object.assign(last, { kind: cue.kind, text: `${last.text} ${cue.text}` });
  else moments.push({ ...cue });
}

function elapsedSeconds() {
  if (startAt === null) return 0;
  const now = pausedAt ?? performance.now();
  return (now - startAt) / 1000;
}

function stepAt(second) {
  let current = plan.steps[0];
  for (const step of plan.steps) {
    if (step.start_s <= second) current = step;
  }
  return current;
}

function format(seconds) {
  const whole = Math.max(0, Math.ceil(seconds - 1e-6));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

// -- speaking -------------------------------------------------------------------------

let audioContext = null;

function chime() {
  try {
    audioContext ??= new AudioContext();
    const gain = audioContext.createGain();
    const tone = audioContext.createOscillator();
    tone.type = "sine";
    tone.frequency.value = 528;
    const volume = settings.chime_volume;
    gain.gain.setValueAtTime(0.0001, audioContext.currentTime);
    gain.gain.exponentialRampToValueAtTime(Math.max(0.0002, volume), audioContext.currentTime + 0.05);
    gain.gain.exponentialRampToValueAtTime(0.0001, audioContext.currentTime + 1.6);
    tone.connect(gain).connect(audioContext.destination);
    tone.start();
    tone.stop(audioContext.currentTime + 1.7);
  } catch {
    // No audio at all: the words are still on screen and in the live region.
  }
}

function browserVoice() {
  if (!("speechSynthesis" in window)) return null;
  const voices = window.speechSynthesis.getVoices();
  return voices.find((v) => v.lang && v.lang.startsWith("en")) ?? voices[0] ?? null;
}

function speak(text) {
  if (!settings.voice) {
    chime();
    return;
  }
  const voice = browserVoice();
  if (voice) {
    window.speechSynthesis.cancel();
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.voice = voice;
    utterance.rate = 0.9;
    window.speechSynthesis.speak(utterance);
    return;
  }
  // A new announcement cuts off one still playing, as the browser's voice does: two at
  // once would be heard as neither.
  playing?.pause();
  playing = new Audio(cueAudio(text));
  playing.play().catch(chime);
}

let playing = null;

const cueAudio = (text) => `/audio/cue.wav?text=${encodeURIComponent(text)}`;

// Without a voice of its own the browser plays the server's audio, one cue at a time.
// Fetching each cue once now, while the app can be reached, lets the service worker keep
// it, so the session is still spoken to its end if the app goes away. (Voices can load
// a little late; then this was only unneeded, never wrong.)
async function keepCueAudio() {
  if (!settings.voice || browserVoice()) return;
  for (const text of new Set(moments.map((moment) => moment.text))) {
    try {
      await (await fetch(cueAudio(text))).arrayBuffer();
    } catch {
      return; // already unreachable: what is kept is kept, the rest falls back to the chime
    }
  }
}

function announce(cue) {
  live.textContent = cue.text;
  live.dataset.kind = cue.kind;
  live.dataset.at = String(cue.at_s);
  speak(cue.text);
}

// -- the schedule ---------------------------------------------------------------------

// -- figures --------------------------------------------------------------------------

// Each step's figure is fetched when the step comes (and the next one's just before), so
// the page itself stays small. The SVG is put into the page without its own style: the
// page's theme colours it, dim or light.
const figures = new Map();

function loadFigure(id) {
  if (!id) return Promise.resolve(null);
  if (!figures.has(id)) {
    const loading = fetch(`/figures/${id}.svg`)
      .then((response) => (response.ok ? response.text() : null))
      .then((text) => {
        if (text === null) return null;
        // Its own style goes before parsing: the page's policy would refuse it (and say
        // so in the console) even in a parsed copy never shown.
        const bare = text.replace(/<style[\s\S]*?<\/style>/g, "");
        const svg = new DOMParser().parseFromString(bare, "image/svg+xml").documentElement;
        if (svg.nodeName !== "svg") return null;
        svg.querySelectorAll("style").forEach((style) => style.remove());
        return svg;
      })
      .catch(() => null);
    figures.set(id, loading);
  }
  return figures.get(id);
}

function showFigure(step) {
  const box = $("step-figure");
  const art = $("figure-art");
  art.dataset.figure = step.figure ?? "";
  if (!step.figure) {
    box.hidden = true;
    art.replaceChildren();
    return;
  }
  loadFigure(step.figure).then((svg) => {
    if (art.dataset.figure !== step.figure) return; // the step moved on meanwhile
    box.hidden = svg === null;
    art.replaceChildren(...(svg ? [document.importNode(svg, true)] : []));
  });
  const next = plan.steps[plan.steps.indexOf(step) + 1];
  if (next) loadFigure(next.figure);
}

const listItems = (lines) => lines.map((line) => Object.assign(document.createElement("li"), { textContent: line }));

function render() {
  const second = Math.min(elapsedSeconds(), plan.total_seconds);
  const step = stepAt(second);
  stepName.textContent = step.name;
  $("step-pressure").textContent = step.pressure ? `${step.pressure} pressure` : "";
  $("pressure-feel").textContent = step.pressure ? settings.pressure_words[step.pressure] : "";
  phaseName.textContent = step.phase;
  if (stepHow.dataset.start !== String(step.start_s)) {
    stepHow.dataset.start = String(step.start_s);
    stepHow.dataset.step = step.technique;
    stepHow.replaceChildren(...listItems(step.how));
    $("step-cautions").replaceChildren(...listItems(step.cautions));
    showFigure(step);
  }
  clock.textContent = format(step.end_s - second);
  $("session-left").textContent = format(plan.total_seconds - second);
  const index = plan.steps.indexOf(step);
  const next = plan.steps[index + 1];
  $("step-number").textContent = `Step ${index + 1} of ${plan.steps.length}`;
  $("step-next").textContent = next ? `Next: ${next.name}` : "Last step";
  const progress = $("session-progress");
  progress.max = plan.total_seconds;
  progress.value = second;
}

function schedule() {
  clearTimeout(timer);
  if (finished || pausedAt !== null) return;
  const now = elapsedSeconds();
  const due = [];
  while (nextCue < moments.length && moments[nextCue].at_s <= now + 0.0005) {
    due.push(moments[nextCue]);
    nextCue += 1;
  }
  // Only the latest moment is announced: older ones still due were left behind by a
  // skip or a late timer, and saying them now would put the voice behind the hands.
  if (due.length > 0) announce(due[due.length - 1]);
  if (due.some((moment) => moment.kind === "end")) {
    finish("completed");
    return;
  }
  render();
  const wait = nextCue < moments.length ? (moments[nextCue].at_s - now) * 1000 : 1000;
  // Wake at the next cue, or each second for the countdown, whichever comes first.
  timer = setTimeout(schedule, Math.max(0, Math.min(wait, 1000 - ((now * 1000) % 1000))));
}

async function keepAwake() {
  try {
    if ("wakeLock" in navigator && document.visibilityState === "visible") {
      wakeLock = await navigator.wakeLock.request("screen");
    }
  } catch {
    wakeLock = null; // refused (battery saver, no permission): the session runs anyway
  }
}

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && startAt !== null && !finished) keepAwake();
});

function start() {
  if (finished) return; // ended during the count-in
  startAt = performance.now();
  startedAt = new Date();
  document.body.dataset.state = "running";
  keepAwake();
  schedule();
  beginRunning(bodyNow("ended_early"), resumeNow());
  beat = setInterval(() => keepRunning(bodyNow("ended_early"), false, resumeNow()), BEAT_MS);
}

/** What another page needs to carry this session on where it is now. */
function resumeNow() {
  const { csrftoken, ...kept } = settings; // a page uses its own token
  return { ...shown, plan, settings: kept, at: elapsedSeconds(), skips, startedAt: startedAt.toISOString() };
}

function carryOn(copy) {
  document.querySelector(".player").hidden = false;
  document.querySelector(".routine-name").textContent = copy.title;
  document.title = `${copy.title} · calmcrown`;
  $("stop-if").textContent = copy.stopIf;
  if (copy.changes.length) showChanges(copy.changes);
  skips.push(...copy.skips);
  startedAt = new Date(copy.startedAt);
  startAt = performance.now() - copy.at * 1000;
  // The last cue already given is given again on Resume: it says where the hands are.
  nextCue = Math.max(0, moments.findLastIndex((moment) => moment.at_s <= copy.at));
  togglePause();
  keepAwake();
  live.textContent = `Paused where you left it, ${format(copy.at)} in. Resume when you are ready.`;
  keepRunning(bodyNow("ended_early"), false, resumeNow());
  beat = setInterval(() => keepRunning(bodyNow("ended_early"), false, resumeNow()), BEAT_MS);
  render();
}

function showChanges(lines) {
  const box = Object.assign(document.createElement("details"), { className: "changes", open: true });
  const list = document.createElement("ul");
  list.append(...listItems(lines));
  box.append(Object.assign(document.createElement("summary"), { textContent: "Changed for today's answers" }), list);
  document.querySelector(".player").prepend(box);
}

function noSession(elsewhere) {
  document.querySelector(".player").hidden = true;
  $("no-session").hidden = false;
  if (!elsewhere) return;
  $("no-session-heading").textContent = "Running in another page";
  const why = $("no-session-why");
  why.textContent = "This session is running in another tab or window of this browser. ";
  why.append(Object.assign(document.createElement("a"), { href: "/session?here=1", textContent: "Carry it on here" }));
}

function actualSoFar() {
  const phases = {};
  let total = 0;
  for (const phase of plan.phases) {
    const start = plan.steps.find((s) => s.phase === phase.name)?.start_s ?? 0;
    phases[phase.name] = secondsSpent(start, start + phase.seconds);
    total += phases[phase.name];
  }
  return { phases, total };
}

function bodyNow(outcome) {
  return sessionBody(plan, settings, actualSoFar(), outcome, startedAt ?? new Date());
}

function togglePause() {
  if (finished || startAt === null) return;
  if (pausedAt === null) {
    pausedAt = performance.now();
    clearTimeout(timer);
    pauseButton.textContent = "Resume";
    pauseButton.setAttribute("aria-pressed", "true");
    document.body.dataset.state = "paused";
    live.textContent = "Paused.";
  } else {
    startAt += performance.now() - pausedAt; // the rest of the schedule moves exactly
    pausedAt = null;
    pauseButton.textContent = "Pause";
    pauseButton.setAttribute("aria-pressed", "false");
    document.body.dataset.state = "running";
    schedule();
  }
}

function skipStep() {
  if (finished || startAt === null) return;
  const now = elapsedSeconds();
  const target = stepAt(now).end_s;
  skips.push([now, target]);
  startAt -= (target - now) * 1000;
  if (pausedAt !== null) togglePause();
  else schedule();
}

function secondsSpent(from, to) {
  const reached = Math.min(to, elapsedSeconds());
  let spent = Math.max(0, reached - from);
  for (const [skipFrom, skipTo] of skips) {
    spent -= Math.max(0, Math.min(skipTo, reached) - Math.max(skipFrom, from));
  }
  return Math.max(0, Math.round(spent));
}

function finish(outcome) {
  if (finished) return;
  finished = true;
  clearTimeout(timer);
  clearInterval(beat);
  if (pausedAt !== null) {
    startAt += performance.now() - pausedAt;
    pausedAt = null;
  }
  wakeLock?.release?.().catch(() => {});
  document.body.dataset.state = "after";
  $("after").hidden = false;
  $("after-heading").focus();
  const done = actualSoFar().total;
  $("after-summary").textContent =
    (outcome === "completed" ? `Done: ${duration(done)}.` : `Ended early: ${duration(done)} of ${duration(plan.total_seconds)}.`) +
    (settings.pain_before === null ? "" : ` Pain before: ${settings.pain_before}.`);
  // Recorded now, whatever happens to the check-in: it only adds to this record.
  const status = $("after-status");
  status.textContent = "Saving to your diary...";
  record.save(bodyNow(outcome)).then((said) => (status.textContent = said));
}

async function saveCheckIn(event) {
  event.preventDefault();
  const form = event.target;
  const number = (name) => (form.elements[name].value === "" ? null : Number(form.elements[name].value));
  const button = form.querySelector("button[type=submit]");
  button.disabled = true; // one tap, one check-in
  const answers = { pain_after: number("pain_after"), tension_after: number("tension_after") };
  $("after-status").textContent = await record.checkIn(answers);
  if (answers.pain_after !== null) {
    const before = settings.pain_before === null ? "" : `Pain before: ${settings.pain_before}, `;
    $("after-summary").textContent += ` ${before ? before : "Pain "}now: ${answers.pain_after}.`;
  }
}

/** "45 s", "4 min 30 s", "12 min", as the Diary writes a session's length. */
function duration(seconds) {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 600 && seconds % 60) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.round(seconds / 60)} min`;
}


// -- wiring ---------------------------------------------------------------------------

pauseButton.addEventListener("click", togglePause);
skipButton.addEventListener("click", skipStep);
// Ending cannot be undone, and oily fingers slip: the first tap asks, the second ends.
let endAsked = null;
endButton.addEventListener("click", () => {
  if (endAsked === null) {
    endButton.textContent = "Tap again to end";
    endAsked = setTimeout(() => {
      endAsked = null;
      endButton.textContent = "End";
    }, 4000);
    return;
  }
  clearTimeout(endAsked);
  finish("ended_early");
});
$("after-form").addEventListener("submit", saveCheckIn);
// Leaving a running session asks first; if the page goes all the same, the session is
// paused there and its copy marked as left (recorded as ended early unless Back brings
// the page back within a minute, paused).
window.addEventListener("beforeunload", (event) => {
  if (startAt !== null && !finished) event.preventDefault();
});
window.addEventListener("pagehide", () => {
  if (startAt === null || finished) return;
  if (pausedAt === null) togglePause();
  keepRunning(bodyNow("ended_early"), true, resumeNow());
});
window.addEventListener("pageshow", (event) => {
  if (!event.persisted || startAt === null || finished) return;
  const where = runningWhere();
  if (where === "here") {
    keepRunning(bodyNow("ended_early"), false, resumeNow());
    live.textContent = "Paused while you were away. Resume when you are ready.";
  } else {
    letGo(
      where === "elsewhere"
        ? "This session carries on in another tab or window."
        : "This session was saved to your diary as ended early when you left.",
    );
  }
});
// Another page carried this session on (/session, "Carry it on here"): this one stops.
onTakenOver(() => {
  if (startAt === null || finished) return;
  if (pausedAt === null) togglePause();
  letGo("This session carries on in another tab or window.");
});

function letGo(said) {
  finished = true;
  clearTimeout(timer);
  clearInterval(beat);
  document.body.dataset.state = "after";
  $("after").hidden = false;
  $("after-form").hidden = true;
  $("after-status").textContent = said;
}
document.addEventListener("keydown", (event) => {
  if (event.target.closest("form, input, textarea, select")) return;
  // Space or Enter on a focused button presses that button, as everywhere else; other
  // keys (n) still work with the focus left on a button after a tap.
  if (event.target.closest("button, a") && (event.key === " " || event.key === "Enter")) return;
  if (event.key === " ") {
    event.preventDefault();
    togglePause();
  } else if (event.key === "n") {
    skipStep();
  }
});

function countIn(seconds) {
  const prompt = $("count-in");
  if (seconds <= 0) {
    prompt.hidden = true;
    start();
    return;
  }
  prompt.hidden = false;
  live.textContent = `Get into position. Starting in ${seconds} seconds.`;
  const began = performance.now();
  const tick = () => {
    const left = seconds - (performance.now() - began) / 1000;
    if (left <= 0) {
      prompt.hidden = true;
      start();
    } else {
      $("count-in-seconds").textContent = String(Math.ceil(left));
      setTimeout(tick, Math.min(250, left * 1000));
    }
  };
  tick();
}

// Once the changes an adapted check made are on screen, the count-in waits for Start.
function begin() {
  const button = $("start");
  if (!settings.wait_for_start || !button) {
    countIn(settings.start_delay);
    return;
  }
  button.hidden = false;
  live.textContent = "Read the changes above, then tap Start.";
  button.addEventListener("click", () => {
    button.hidden = true;
    countIn(settings.start_delay);
  }, { once: true });
}

if (given) {
  // Back or a reload now comes to /session, which carries this session on.
  history.replaceState(null, "", "/session");
  render();
  begin();
  keepCueAudio();
} else if (kept) {
  carryOn(kept);
  keepCueAudio();
} else {
  noSession(carried.elsewhere);
}
