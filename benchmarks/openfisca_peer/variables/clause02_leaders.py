"""(二) 培优壮大市场主体: city and province leader awards."""

import numpy
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable
from openfisca_peer.entities import Enterprise
from openfisca_peer.enums import HonourKind

SELECTION_YEARS = (2023, 2024, 2025)  # the years of the policy's window


def _selected_in(enterprise, period, kind):
    """Per selection year: whether the enterprise holds a valid honour of this kind for that year."""
    item = enterprise.members
    honours = (item("honour_kind", period) == kind) & item("item_valid", period)
    years = item("item_date", period).astype("datetime64[Y]").astype(numpy.int64) + 1970
    return [enterprise.sum(honours & (years == y), role=Enterprise.HONOUR) > 0 for y in SELECTION_YEARS]


class leader_city(Variable):
    value_type = float
    entity = Enterprise
    definition_period = DateUnit.YEAR
    label = "全市特色专业镇规模化领军企业奖励(元)"
    reference = "阳政办发〔2023〕25号 (二)"

    def formula(enterprise, period, parameters):
        amount = parameters(period.stop).clause02_leaders.city
        city = _selected_in(enterprise, period, HonourKind.leader_city)
        province = _selected_in(enterprise, period, HonourKind.leader_province)
        # leader_same_year = highest_only: a year with the province selection pays the province award only.
        return amount * sum((c & ~p).astype(numpy.float32) for c, p in zip(city, province, strict=True))


class leader_province(Variable):
    value_type = float
    entity = Enterprise
    definition_period = DateUnit.YEAR
    label = "全省特色专业镇规模化领军企业市级奖励(元)"
    reference = "阳政办发〔2023〕25号 (二)"

    def formula(enterprise, period, parameters):
        amount = parameters(period.stop).clause02_leaders.province
        province = _selected_in(enterprise, period, HonourKind.leader_province)
        return amount * sum(p.astype(numpy.float32) for p in province)
