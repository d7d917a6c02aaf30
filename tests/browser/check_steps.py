"""Answer the safety check as a person does, one group of questions at a time."""

from __future__ import annotations

from collections.abc import Iterable

from playwright.sync_api import Page

_MOVED_ON = """previous => {
  const form = document.getElementById("check-form");
  if (!form) return true;  // sent: the player or the verdict has loaded
  const legend = form.querySelector("fieldset.group:not([hidden]) legend");
  return legend !== null && legend.textContent !== previous;
}"""


def answer_check(page: Page, yes: Iterable[str] = ()) -> int:
    """Tick the questions ``yes`` names (flag ids) as their group comes and answer every
    other group "None of these"; returns the taps it took. The last answer sends the form."""
    wanted = set(yes)
    taps = 0
    page.locator("#check-form.stepped").wait_for()  # its script has laid out the steps
    while page.locator("#check-form").count():
        group = page.locator("fieldset.group:not([hidden])")
        legend = group.locator("legend").inner_text()
        ids = group.locator('input[name="flag"]').evaluate_all("els => els.map(e => e.value)")
        for flag in sorted(wanted & set(ids)):
            group.locator(f'input[name="flag"][value="{flag}"]').check()
            taps += 1
        ticked = group.locator('input[name="flag"]:checked').count()
        group.get_by_role("button", name="Next" if ticked else "None of these", exact=True).click()
        taps += 1
        page.wait_for_function(_MOVED_ON, arg=legend)
    return taps


def answer_none(page: Page, groups: int = 1) -> None:
    """Answer the next ``groups`` groups "None of these", one tap each, without sending
    anything the person has not reached."""
    page.locator("#check-form.stepped").wait_for()
    for _ in range(groups):
        page.get_by_role("button", name="None of these", exact=True).locator("visible=true").click()
