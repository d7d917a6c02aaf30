// The safety check, one group of questions at a time.
//
// Without this script the page is one form: every group has its own "None of these" and
// the server refuses a group left unanswered. With it, each group fills the screen in
// turn, most urgent first; "None of these" or "Next" answers it and moves on, and the
// last answer sends the form. Lasting conditions remembered from the last check are not
// asked again unless "Change" is tapped; their answers stay in the form as they were.

const form = document.getElementById("check-form");
const groups = [...form.querySelectorAll("fieldset.group")];
const noneOf = (group) => group.querySelector('input[name="none"]');
const flagsOf = (group) => [...group.querySelectorAll('input[name="flag"]')];

// Ticking a question and "None of these" exclude each other, with or without steps.
for (const group of groups) {
  const none = noneOf(group);
  for (const flag of flagsOf(group)) {
    flag.addEventListener("change", () => {
      if (flag.checked) none.checked = false;
      showNext(group);
    });
  }
  none.addEventListener("change", () => {
    if (none.checked) for (const flag of flagsOf(group)) flag.checked = false;
  });
}

const steps = groups.filter((group) => !group.hasAttribute("data-remembered"));
let current = 0;

// The pain row and the note of what was remembered come with the last step.
const lastStepOnly = [...form.querySelectorAll(".pain-now, #remembered")];

function show(index) {
  current = index;
  for (const group of groups) group.hidden = group !== steps[index];
  for (const element of lastStepOnly) element.hidden = index !== steps.length - 1;
  const legend = steps[index].querySelector("legend");
  window.scrollTo(0, 0);
  legend.focus({ preventScroll: true });
}

function answered(group) {
  return noneOf(group).checked || flagsOf(group).some((flag) => flag.checked);
}

function advance() {
  if (current + 1 < steps.length) show(current + 1);
  else form.requestSubmit();
}

function showNext(group) {
  const next = group.querySelector(".step-next");
  if (next) next.hidden = !flagsOf(group).some((flag) => flag.checked);
}

function stepButton(className, text, onClick) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = className;
  button.textContent = text;
  button.addEventListener("click", onClick);
  return button;
}

function addButtons(group, index) {
  const row = document.createElement("div");
  row.className = "step-buttons";
  const none = stepButton("big-button step-none", "None of these", () => {
    noneOf(group).checked = true;
    for (const flag of flagsOf(group)) flag.checked = false;
    advance();
  });
  const next = stepButton("big-button step-next", "Next", () => {
    noneOf(group).checked = false;
    advance();
  });
  row.append(none, next);
  if (index > 0 || group.id === "group-lasting") {
    row.append(
      stepButton("step-back", "Back", () => show(Math.max(0, steps.indexOf(group) - 1))),
    );
  }
  group.append(row);
  showNext(group);
}

function stepped() {
  form.classList.add("stepped");
  steps.forEach(addButtons);
  document.getElementById("check-continue").hidden = true;
  // Start at the first group not answered yet (all of them on a fresh check).
  const first = steps.findIndex((group) => !answered(group));
  show(first === -1 ? 0 : first);
}

const change = document.getElementById("change-remembered");
if (change) {
  change.addEventListener("click", (event) => {
    event.preventDefault();
    const lasting = document.getElementById("group-lasting");
    if (steps.includes(lasting)) return;
    lasting.removeAttribute("data-remembered");
    steps.splice(current, 0, lasting);
    if (!lasting.querySelector(".step-buttons")) addButtons(lasting, current);
    const note = change.closest("p");
    lastStepOnly.splice(lastStepOnly.indexOf(note), 1);
    note.remove(); // the group itself now shows what was remembered
    show(current);
  });
}

if (steps.length) stepped();
