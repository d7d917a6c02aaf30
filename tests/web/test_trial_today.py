"""Today, the check and the player during a personal trial: the period said plainly, the
period's routines offered, and a session of another arm allowed but never silent."""

from __future__ import annotations

import datetime as dt
import html as markup
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from calmcrown.catalog import load_catalog
from calmcrown.diary.engine import create_diary_engine
from calmcrown.diary.schema import ensure_schema
from calmcrown.diary.store import DiaryStore
from calmcrown.diary.trials import save_trial
from calmcrown.insight.trial.analysis import analysis_dict
from calmcrown.insight.trial.design import TrialDesign, design
from calmcrown.settings import Settings
from calmcrown.trial_source import analyze_stored_trial
from tests.run_date import RUN_DATE
from tests.web.check_form import answered

FEET_ROUTINE = "feet"  # the catalog's one routine on the feet alone (a partner's)
HEAD_ROUTINE = "evening"


@pytest.fixture
def store(settings: Settings) -> Iterator[DiaryStore]:
    """The web app's diary, opened beside it, for setting up a trial and reading back."""
    engine = create_diary_engine(settings.database)
    ensure_schema(engine)
    yield DiaryStore(engine, settings.profile, routines=frozenset(load_catalog().routines))
    engine.dispose()


def _first_period(arms: tuple[str, ...], arm: str, start: dt.date, **options: int) -> TrialDesign:
    """A design whose first period is ``arm``'s: the first seed that draws it so."""
    return next(
        drawn
        for seed in range(100)
        if (drawn := design(arms, start, seed=seed, **options)).periods[0].arm == arm
    )


def _saved(store: DiaryStore, trial: TrialDesign) -> TrialDesign:
    """``trial`` stored as it would have been on its first day (a trial starts today or
    later, so one already under way is saved by a store whose today was its start)."""
    then = DiaryStore(store.engine, "default", today=lambda: trial.start)
    return save_trial(then, trial)


def _day(ago: int) -> dt.date:
    return RUN_DATE - dt.timedelta(days=ago)


def _text(html: str) -> str:
    return markup.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def _token(client: TestClient, path: str = "/check") -> str:
    match = re.search(r'name="csrftoken" value="([^"]+)"', client.get(path).text)
    assert match
    return match[1]


def test_a_feet_period_says_its_day_and_offers_only_its_routines(
    client: TestClient, store: DiaryStore
) -> None:
    _saved(store, _first_period(("head", "feet"), "feet", _day(4)))
    html = client.get("/").text
    assert "Feet period, day 5 of 14." in _text(html)
    offered = set(re.findall(r'class="big-button length" href="/check\?routine=([\w-]+)', html))
    assert offered == {FEET_ROUTINE}
    chosen = html[html.index("Or choose a routine") : html.index("</details>")]
    assert re.findall(r'href="/check\?routine=([\w-]+)"', chosen) == [FEET_ROUTINE]
    assert "This period's routine is for someone else to give." in html
    anyway = html[html.index('class="trial-anyway"') :]
    assert "This is a feet period: any of these now counts as a deviation in your trial." in anyway
    assert f'href="/check?routine={HEAD_ROUTINE}"' in anyway


def test_a_settling_in_day_says_it_is_kept_but_not_counted(
    client: TestClient, store: DiaryStore
) -> None:
    _saved(store, _first_period(("head", "feet"), "head", _day(0)))
    text = _text(client.get("/").text)
    assert "Head period, day 1 of 14, a settling-in day: it is kept but not counted." in text


def test_a_no_massage_period_offers_no_routine_and_says_why(
    client: TestClient, store: DiaryStore
) -> None:
    _saved(store, _first_period(("head", "none"), "none", _day(6)))
    html = client.get("/").text
    text = _text(html)
    assert "No-massage period, day 7 of 14." in text
    assert (
        "This is a no-massage period of your trial: not massaging is what it measures. "
        "Keep your diary as usual."
    ) in text
    assert 'class="big-button length"' not in html and "Or choose a routine" not in html
    anyway = html[html.index('class="trial-anyway"') :]
    assert "Do a session anyway" in anyway
    assert "a session now counts as a deviation in your trial" in anyway
    assert f'href="/check?routine={HEAD_ROUTINE}"' in anyway


def test_before_the_trial_today_says_when_it_starts(client: TestClient, store: DiaryStore) -> None:
    start = RUN_DATE + dt.timedelta(days=3)
    save_trial(store, design(("head", "none"), start, seed=1))
    html = client.get("/").text
    assert f"Your trial starts on {start:%A} {start.day} {start:%B}." in _text(html)
    assert len(re.findall(r'class="big-button length"', html)) == 6, "all lengths, as usual"


def test_after_the_trial_today_links_to_its_results(client: TestClient, store: DiaryStore) -> None:
    over = design(("head", "none"), _day(60), period_days=7, blocks=3, washout_days=0, seed=1)
    _saved(store, over)
    html = client.get("/").text
    assert "Your trial is over." in _text(html)
    assert '<a href="/trial">See its results</a>' in html


def test_another_arm_is_named_a_deviation_before_and_after_the_session(
    client: TestClient, store: DiaryStore
) -> None:
    _saved(store, _first_period(("head", "feet"), "feet", _day(4)))
    check = client.get(f"/check?routine={HEAD_ROUTINE}").text
    warning = "This is a feet period: a head routine now counts as a deviation in your trial."
    assert warning in check
    player = client.post(
        "/check",
        data=answered(routine=HEAD_ROUTINE, minutes="10", csrftoken=_token(client)),
    ).text
    assert 'id="plan-data"' in player
    before = player.index('id="deviation-before"')
    assert warning in player[before : player.index("</p>", before)]
    after = markup.unescape(player[player.index('id="after"') :])
    assert (
        "Recorded as a deviation in your trial: a head routine in a feet period. "
        "The trial's results count it as one."
    ) in after


def test_the_periods_own_routine_is_no_deviation(client: TestClient, store: DiaryStore) -> None:
    _saved(store, _first_period(("head", "feet"), "feet", _day(4)))
    assert "deviation" not in client.get(f"/check?routine={FEET_ROUTINE}").text


def test_any_session_in_a_no_massage_period_is_a_deviation(
    client: TestClient, store: DiaryStore
) -> None:
    _saved(store, _first_period(("head", "none"), "none", _day(3)))
    check = client.get(f"/check?routine={HEAD_ROUTINE}").text
    assert (
        "This is a no-massage period: a session now counts as a deviation in your trial."
    ) in check


def test_a_recorded_deviation_is_counted_and_marked_in_the_diary(
    api: TestClient, store: DiaryStore
) -> None:
    trial = _saved(store, _first_period(("head", "feet"), "feet", _day(4)))
    for routine in (HEAD_ROUTINE, FEET_ROUTINE):
        session = {"date": str(RUN_DATE), "routine": routine, "seconds": 600}
        assert api.post("/api/v1/sessions", json=session).is_success
    analysis = analyze_stored_trial(store, load_catalog(), trial, dt.datetime.now())
    adherence = analysis_dict(analysis)["adherence"]
    assert (adherence["deviations"], adherence["done"]) == (1, 1)
    rows = re.findall(r"(?s)<tr>.*?</tr>", api.get("/diary").text)
    marked = [row for row in rows if "a deviation in your trial" in row]
    assert len(marked) == 1 and "Evening head massage" in marked[0], "the Diary says so too"


def test_a_red_flag_stop_in_a_trial_period_is_counted_as_a_stop(
    client: TestClient, store: DiaryStore
) -> None:
    trial = _saved(store, _first_period(("head", "feet"), "head", _day(4)))
    verdict = client.post(
        "/check",
        data=answered(["sudden_worst"], routine=HEAD_ROUTINE, minutes="10",
                      csrftoken=_token(client)),
    ).text  # fmt: skip
    assert "Stop and call for help now" in verdict
    analysis = analyze_stored_trial(store, load_catalog(), trial, dt.datetime.now())
    adherence = analysis_dict(analysis)["adherence"]
    assert adherence["stops"] == 1
    assert (adherence["done"], adherence["deviations"]) == (0, 0), "a stop is not a session"


def test_without_a_trial_today_says_nothing_of_one(client: TestClient) -> None:
    main = re.search(r"(?s)<main.*</main>", client.get("/").text)
    assert main and "trial" not in _text(main[0]).lower(), "the menu may name the Trial page"
    assert "deviation" not in client.get(f"/check?routine={HEAD_ROUTINE}").text
