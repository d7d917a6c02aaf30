from __future__ import annotations

import datetime as dt

from calmcrown.insight.medication_use import MedicationUse, medication_use

MON = dt.date(2026, 11, 2)


def _day(n: int) -> dt.date:
    return MON + dt.timedelta(days=n)


def test_each_name_counts_its_days_once_whatever_the_case_and_dose() -> None:
    uses = medication_use(
        [
            (_day(0), "Ibuprofen 400 mg"),
            (_day(0), "ibuprofen 400 mg"),  # the day's entry and an attack's: one day
            (_day(1), "ibuprofen 200 mg; paracetamol 1 g"),
            (_day(3), "sumatriptan 50 mg, ibuprofen 400 mg"),
            (_day(4), None),
            (_day(5), "  "),
        ]
    )
    assert uses == [
        MedicationUse("Ibuprofen", 3, ("400 mg", "200 mg")),
        MedicationUse("paracetamol", 1, ("1 g",)),
        MedicationUse("sumatriptan", 1, ("50 mg",)),
    ]


def test_a_name_without_a_dose_is_kept_as_written() -> None:
    assert medication_use([(_day(0), "my usual tablet + rest")]) == [
        MedicationUse("my usual tablet", 1, ()),
        MedicationUse("rest", 1, ()),
    ]
