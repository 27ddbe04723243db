"""Culling: SoL files five years after the last entry, by the end of the following calendar
year; LSS documentation kept; a file with both loses its SoL part."""

from __future__ import annotations

from datetime import date

import pytest

from folja.rules.culling import (
    NoCullingRule,
    Scope,
    culling_due_by,
    culling_eligible_from,
    culling_rule,
    culling_scope,
)


def test_it_culls_by_the_end_of_the_year_after_the_five_years_end() -> None:
    assert culling_due_by(date(2019, 3, 10), date(1950, 1, 1)) == date(2025, 12, 31)
    assert culling_due_by(date(2019, 12, 31), None) == date(2025, 12, 31)


def test_it_keeps_files_of_persons_born_on_the_5th_15th_or_25th() -> None:
    for day in (5, 15, 25):
        assert culling_due_by(date(2019, 3, 10), date(1950, 1, day)) is None
    assert culling_due_by(date(2019, 3, 10), date(1950, 1, 6)) is not None


def test_it_allows_culling_from_five_years_after_the_last_entry() -> None:
    assert culling_eligible_from(date(2019, 3, 10)) == date(2024, 3, 10)
    assert culling_eligible_from(date(2020, 2, 29)) == date(2025, 3, 1)


def test_sol_documentation_is_culled_and_lss_documentation_is_kept() -> None:
    assert culling_rule("SoL", date(2020, 1, 1)).retention_years == 5
    assert culling_rule("SoL", date(2030, 1, 1)).retention_years == 5
    lss = culling_rule("LSS", date(2030, 1, 1))
    assert lss.retention_years is None and not lss.culls
    assert "arkivlagen" in lss.reference


def test_the_sol_rule_is_dated_reference_data_with_the_new_act_from_2025_07_01() -> None:
    assert culling_rule("SoL", date(2025, 6, 30)).reference.startswith("SoL (2001:453)")
    assert culling_rule("SoL", date(2025, 7, 1)).reference.startswith("SoL (2025:400)")
    with pytest.raises(NoCullingRule):
        culling_rule("SoL", date(1999, 1, 1))


def test_each_act_decides_what_of_a_file_may_be_culled() -> None:
    assert culling_scope({"SoL"}) == Scope.WHOLE_FILE
    assert culling_scope(set()) == Scope.WHOLE_FILE
    assert culling_scope({"LSS"}) is None
    assert culling_scope({"SoL", "LSS"}) == Scope.SOL_PART
