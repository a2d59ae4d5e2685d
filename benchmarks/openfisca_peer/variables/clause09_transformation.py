"""(九) 推动企业技术改造: R&D equipment (per-enterprise cap), single champion, new-material insurance."""

import numpy
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable
from openfisca_peer.entities import Enterprise, Item
from openfisca_peer.enums import HonourKind
from openfisca_peer.helpers import beats_other_policy, once_per_enterprise, share_enterprise_cap


class rd_equipment(Variable):
    value_type = float
    entity = Enterprise
    definition_period = DateUnit.YEAR
    label = "主导产业营收第一企业研发检测试验设备补助(元)"
    reference = "阳政办发〔2023〕25号 (九)"

    def formula(enterprise, period, parameters):
        p = parameters(period.stop).clause09_transformation
        invest = enterprise("equipment_investment", period)
        # The ranking is within the town's leading industry, so the enterprise must be in it.
        paid = (enterprise("in_town", period) & enterprise("leading_industry", period)
                & (enterprise("industry_revenue_rank", period) == 1) & (invest >= p.equipment_threshold))
        amount = numpy.minimum(p.equipment_rate * numpy.nan_to_num(invest), p.equipment_cap)
        return numpy.where(paid & beats_other_policy(amount, enterprise("equipment_other_policy", period)),
                           amount, 0)


class single_champion(Variable):
    value_type = float
    entity = Enterprise
    definition_period = DateUnit.YEAR
    label = "首次获评国家级制造业单项冠军产品奖励(元)"
    reference = "阳政办发〔2023〕25号 (九)"

    def formula(enterprise, period, parameters):
        amount = parameters(period.stop).clause09_transformation.single_champion
        item = enterprise.members
        champion = item("honour_kind", period) == HonourKind.single_champion
        day = item("item_date", period).astype("datetime64[D]").astype(numpy.int64)
        # 首次获评: no champion honour of the enterprise is dated earlier (in or out of the window).
        earliest = enterprise.min(numpy.where(champion, day, numpy.iinfo(numpy.int64).max), role=Enterprise.HONOUR)
        first = champion & (day <= enterprise.project(earliest)) & item("item_valid", period)
        return once_per_enterprise(enterprise, period, HonourKind.single_champion, amount, honours=first)


class new_material_insurance_item(Variable):
    value_type = float
    entity = Item
    definition_period = DateUnit.YEAR
    label = "重点新材料首批次保险保费补贴,每笔保费,单户封顶分配之后(元)"

    def formula(item, period, parameters):
        p = parameters(period.stop).clause09_transformation
        eligible = item("premium_qualifies", period) & item("item_valid", period)
        gross = p.insurance_rate * item("premium", period)
        enterprise = item.simulation.populations["enterprise"]
        return share_enterprise_cap(enterprise, gross, eligible, item("other_policy_amount", period), p.insurance_cap)


class new_material_insurance(Variable):
    value_type = float
    entity = Enterprise
    definition_period = DateUnit.YEAR
    label = "重点新材料首批次保险保费补贴(元)"
    reference = "阳政办发〔2023〕25号 (九)"

    def formula(enterprise, period, parameters):
        return enterprise.sum(enterprise.members("new_material_insurance_item", period), role=Enterprise.PREMIUM)
