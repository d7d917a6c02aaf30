from __future__ import annotations

import datetime as dt

import pytest

from calmcrown.catalog import Catalog, Pressure, Region, Verdict
from calmcrown.screening import (
    Answers,
    AnswersError,
    UnansweredGroup,
    check_every_group_answered,
    parse_answers,
    question_groups,
    questions,
    screen,
)

# The flags the foundation issue requires, by the verdict a yes to each must give.
REQUIRED = {
    Verdict.EMERGENCY: [
        "sudden_worst",
        "neuro_deficit",
        "confusion",
        "fever_stiff_neck",
        "red_painful_eye",
    ],
    Verdict.SEE_DOCTOR: [
        "head_injury_recent",
        "exertion_trigger",
        "posture_change",
        "new_after_50",
        "pattern_change",
        "pregnancy_postpartum_new",
        "cancer_or_immunosuppressed",
        "giant_cell_signs",
        "persistent_vomiting",
        "neck_pain_dizziness",
        "fever",
        "medication_overuse",
    ],
    Verdict.ADAPT: [
        "scalp_wound_or_rash",
        "neck_injury_or_instability",
        "blood_thinners",
        "leg_clot_history",
        "foot_wound_or_infection",
        "diabetic_neuropathy",
        "pregnancy",
        "oil_sensitivity",
        "aura_now",
        "touch_hurts_now",
        "neck_shoulder_skin",
        "face_skin",
        "head_face_surgery",
        "nut_allergy",
    ],
}
EVERY_FLAG = [(flag, verdict) for verdict, flags in REQUIRED.items() for flag in flags]

# What each adapt flag must change, as the issue specifies it.
ADAPTATIONS = {
    "scalp_wound_or_rash": {"excluded": {Region.SCALP, Region.FOREHEAD, Region.TEMPLES}},
    "neck_injury_or_instability": {"excluded": {Region.NECK_SHOULDERS}},
    "blood_thinners": {"pressure": Pressure.LIGHT},
    "leg_clot_history": {"excluded": {Region.FEET}},
    "foot_wound_or_infection": {"excluded": {Region.FEET}},
    "diabetic_neuropathy": {"pressure": Pressure.LIGHT},
    "pregnancy": {"pressure": Pressure.LIGHT, "pregnancy_points": True},
    "oil_sensitivity": {"no_oil": True},
    "aura_now": {"pressure": Pressure.LIGHT, "shorter": True},
    "touch_hurts_now": {"pressure": Pressure.LIGHT, "shorter": True},
    "neck_shoulder_skin": {"excluded": {Region.NECK_SHOULDERS, Region.OCCIPITAL_RIDGE}},
    "face_skin": {"excluded": {Region.FACE_JAW}},
    "head_face_surgery": {
        "excluded": {
            Region.SCALP,
            Region.FOREHEAD,
            Region.TEMPLES,
            Region.OCCIPITAL_RIDGE,
            Region.FACE_JAW,
        }
    },
    "nut_allergy": {"no_nut_oil": True},
}


def _screen(catalog: Catalog, *flags: str, age: int | None = None):  # type: ignore[no-untyped-def]
    return screen(catalog.safety, Answers(frozenset(flags), age))


def test_no_answers_are_clear(catalog: Catalog) -> None:
    result = _screen(catalog)
    assert result.verdict is Verdict.CLEAR
    assert result.reasons == ()
    assert result.allows_session
    assert result.advice


@pytest.mark.parametrize(("flag", "verdict"), EVERY_FLAG)
def test_each_flag_gives_its_verdict(catalog: Catalog, flag: str, verdict: Verdict) -> None:
    result = _screen(catalog, flag)
    assert result.verdict is verdict
    assert [reason.flag for reason in result.reasons] == [flag]
    reason = result.reasons[0]
    assert reason.message and reason.source in catalog.sources
    assert result.allows_session is (verdict is Verdict.ADAPT)
    assert result.advice == catalog.safety.verdicts[verdict].advice


@pytest.mark.parametrize(("flag", "expected"), ADAPTATIONS.items())
def test_each_adapt_flag_changes_what_it_must(
    catalog: Catalog, flag: str, expected: dict[str, object]
) -> None:
    changes = _screen(catalog, flag).adaptations
    assert changes.excluded_regions >= expected.get("excluded", set())  # type: ignore[operator]
    assert changes.max_pressure == expected.get("pressure", Pressure.MODERATE)
    assert changes.no_oil is expected.get("no_oil", False)
    assert changes.no_nut_oil is expected.get("no_nut_oil", False)
    assert changes.skip_pregnancy_points is expected.get("pregnancy_points", False)
    assert (changes.max_minutes is not None) is expected.get("shorter", False)


def test_rules_know_exactly_the_required_flags_or_more(catalog: Catalog) -> None:
    for verdict, flags in REQUIRED.items():
        for flag in flags:
            assert catalog.safety.flags[flag].level is verdict


@pytest.mark.parametrize(
    ("flags", "verdict"),
    [
        (["blood_thinners", "sudden_worst"], Verdict.EMERGENCY),
        (["oil_sensitivity", "fever"], Verdict.SEE_DOCTOR),
        (["fever", "confusion", "pregnancy"], Verdict.EMERGENCY),
        (["medication_overuse", "new_after_50"], Verdict.SEE_DOCTOR),
        (["aura_now", "scalp_wound_or_rash"], Verdict.ADAPT),
    ],
)
def test_most_severe_verdict_wins(catalog: Catalog, flags: list[str], verdict: Verdict) -> None:
    result = _screen(catalog, *flags)
    assert result.verdict is verdict
    assert sorted(reason.flag for reason in result.reasons) == sorted(flags)
    severities = [reason.level.severity for reason in result.reasons]
    assert severities == sorted(severities, reverse=True), "most urgent reasons come first"


def test_adaptations_combine_to_the_strictest(catalog: Catalog) -> None:
    changes = _screen(
        catalog, "scalp_wound_or_rash", "leg_clot_history", "blood_thinners", "oil_sensitivity"
    ).adaptations
    assert {Region.SCALP, Region.FEET} <= changes.excluded_regions
    assert changes.max_pressure is Pressure.LIGHT
    assert changes.no_oil


def test_unknown_flag_is_an_error(catalog: Catalog) -> None:
    with pytest.raises(AnswersError, match="unknown flag 'sudden_wrost'"):
        _screen(catalog, "sudden_worst", "sudden_wrost")


def test_neck_pain_with_dizziness_stops_the_session(catalog: Catalog) -> None:
    result = _screen(catalog, "neck_pain_dizziness")
    assert result.verdict is Verdict.SEE_DOCTOR
    assert not result.allows_session
    assert result.reasons[0].source == "vad-case-reports"


def test_age_bound_questions_are_asked_only_when_they_can_apply(catalog: Catalog) -> None:
    young = {flag.id for flag in questions(catalog.safety, age=30)}
    older = {flag.id for flag in questions(catalog.safety, age=50)}
    unknown = {flag.id for flag in questions(catalog.safety)}
    assert "new_after_50" not in young and "giant_cell_signs" not in young
    assert {"new_after_50", "giant_cell_signs"} <= older
    assert unknown == set(catalog.safety.flags), "without an age, every question is asked"


def test_questions_come_most_urgent_first(catalog: Catalog) -> None:
    levels = [flag.level.severity for flag in questions(catalog.safety)]
    assert levels == sorted(levels, reverse=True)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ([], "expected an object"),
        ({}, '"flags" is missing'),
        ({"flags": "fever"}, "must be a list"),
        ({"flags": [], "age": -1}, '"age" must be a whole number'),
        ({"flags": [], "age": True}, '"age" must be a whole number'),
        ({"flags": [], "age": 40.5}, '"age" must be a whole number'),
        ({"flags": [], "mood": 3}, "unexpected key 'mood'"),
    ],
)
def test_malformed_answers_name_the_problem(data: object, problem: str) -> None:
    with pytest.raises(AnswersError, match=problem):
        parse_answers(data)


def test_well_formed_answers_parse() -> None:
    assert parse_answers({"flags": ["fever"], "age": 61}) == Answers(frozenset({"fever"}), 61)


# A doctor's check of a lasting condition (hazard H13).
TODAY = dt.date(2026, 12, 3)
LASTING = ["head_injury_recent", "cancer_or_immunosuppressed", "medication_overuse"]


def _checked(flags: set[str], checks: dict[str, dt.date]) -> Answers:
    return Answers(frozenset(flags), doctor_checked=checks)


def test_the_lasting_see_doctor_conditions_are_the_ones_a_doctor_can_clear(
    catalog: Catalog,
) -> None:
    clearable = [flag.id for flag in catalog.safety.flags.values() if flag.once_checked]
    assert clearable == LASTING
    assert all(catalog.safety.flags[flag].lasting for flag in clearable)


def test_a_recent_doctors_check_lets_a_lasting_condition_go_ahead_gently(
    catalog: Catalog,
) -> None:
    checked_on = TODAY - dt.timedelta(days=60)
    result = screen(
        catalog.safety, _checked({"head_injury_recent"}, {"head_injury_recent": checked_on}), TODAY
    )
    assert result.verdict is Verdict.ADAPT
    assert result.adaptations.max_pressure is Pressure.LIGHT
    assert {Region.NECK_SHOULDERS, Region.OCCIPITAL_RIDGE} <= result.adaptations.excluded_regions
    (reason,) = result.reasons
    assert (reason.flag, reason.checked_on) == ("head_injury_recent", checked_on)
    assert "doctor has checked" in reason.message
    assert result.to_dict()["reasons"][0]["checked_on"] == checked_on.isoformat()


def test_a_check_that_changes_nothing_leaves_the_session_clear_and_says_so(
    catalog: Catalog,
) -> None:
    answers = _checked({"medication_overuse"}, {"medication_overuse": TODAY})
    result = screen(catalog.safety, answers, TODAY)
    assert result.verdict is Verdict.CLEAR
    assert [(r.flag, r.level) for r in result.reasons] == [("medication_overuse", Verdict.CLEAR)]


def test_a_doctors_check_never_hides_todays_signs(catalog: Catalog) -> None:
    answers = _checked(
        {"cancer_or_immunosuppressed", "fever"}, {"cancer_or_immunosuppressed": TODAY}
    )
    assert screen(catalog.safety, answers, TODAY).verdict is Verdict.SEE_DOCTOR
    unanswered = _checked(set(), {"cancer_or_immunosuppressed": TODAY})
    assert screen(catalog.safety, unanswered, TODAY).reasons == ()


def test_a_check_over_a_year_old_stops_again_and_says_why(catalog: Catalog) -> None:
    old = TODAY - dt.timedelta(days=366)
    answers = _checked({"cancer_or_immunosuppressed"}, {"cancer_or_immunosuppressed": old})
    result = screen(catalog.safety, answers, TODAY)
    assert result.verdict is Verdict.SEE_DOCTOR
    assert old.isoformat() in result.reasons[0].message
    assert result.reasons[0].checked_on is None


@pytest.mark.parametrize(
    ("checks", "problem"),
    [
        ({"fever": TODAY}, "'fever' is about today's headache"),
        ({"medication_overuse": TODAY + dt.timedelta(days=1)}, "after today"),
        ({"no_such_flag": TODAY}, "unknown flag 'no_such_flag'"),
    ],
)
def test_a_doctors_check_that_cannot_count_is_refused(
    catalog: Catalog, checks: dict[str, dt.date], problem: str
) -> None:
    with pytest.raises(AnswersError, match=problem):
        screen(catalog.safety, _checked(set(checks), checks), TODAY)


def test_doctor_checks_parse_from_json_and_bad_dates_are_named() -> None:
    answers = parse_answers({"flags": [], "doctor_checked": {"medication_overuse": "2026-10-02"}})
    assert answers.doctor_checked == {"medication_overuse": dt.date(2026, 10, 2)}
    with pytest.raises(AnswersError, match="'medication_overuse' needs a date like"):
        parse_answers({"flags": [], "doctor_checked": {"medication_overuse": "last week"}})
    with pytest.raises(AnswersError, match='"doctor_checked" must be an object'):
        parse_answers({"flags": [], "doctor_checked": ["medication_overuse"]})


def test_every_question_is_asked_once_in_its_group_most_urgent_first(catalog: Catalog) -> None:
    groups = question_groups(catalog.safety)
    assert [group.key for group in groups] == ["now", "headache", "lasting", "today"]
    asked = [flag.id for group in groups for flag in group.flags]
    assert sorted(asked) == sorted(catalog.safety.flags)
    by_key = {group.key: group for group in groups}
    assert {f.level for f in by_key["now"].flags} == {Verdict.EMERGENCY}
    assert all(f.lasting for f in by_key["lasting"].flags) and by_key["lasting"].remembered
    assert not any(f.lasting for g in ("now", "headache", "today") for f in by_key[g].flags)


def test_a_group_left_unanswered_is_not_a_no(catalog: Catalog) -> None:
    groups = question_groups(catalog.safety)
    every = [group.key for group in groups]
    check_every_group_answered(groups, [], every)
    check_every_group_answered(groups, ["fever"], [k for k in every if k != "headache"])
    with pytest.raises(UnansweredGroup, match="About this headache, is any of this true"):
        check_every_group_answered(groups, [], [k for k in every if k != "headache"])
    with pytest.raises(AnswersError, match="both yes answers and 'none of these'"):
        check_every_group_answered(groups, ["fever"], every)
