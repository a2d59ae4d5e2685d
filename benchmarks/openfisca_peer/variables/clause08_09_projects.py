"""(八) digital / 5G projects and (九) key technical-transformation projects (both ceilings, 最高).

One project that is both pays the higher award only (project_overlap = highest_only; a tie goes to
the digital award, which comes first in rule order); the winner is then weighed against another
city policy's award for the same project.
"""

import numpy
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable
from openfisca_peer.entities import Enterprise, Item
from openfisca_peer.enums import ProjectField
from openfisca_peer.helpers import beats_other_policy

KEY_FIELDS = (ProjectField.foundation, ProjectField.smart_manufacturing, ProjectField.green_manufacturing,
              ProjectField.chain_strengthening)  # 产业基础再造、智能制造示范、绿色制造推广、产业链锻长补短


class digital_project_gross(Variable):
    value_type = float
    entity = Item
    definition_period = DateUnit.YEAR
    label = "信息化改造、5G融合应用项目奖励,每个项目,不重复奖补之前(元,最高;NaN = 不适用)"

    def formula(item, period, parameters):
        p = parameters(period.stop).clause08_digital
        invest = item("software_hardware_investment", period)
        paid = item("project_digital", period) & item("item_valid", period) & numpy.isfinite(invest)
        return numpy.where(paid, numpy.minimum(p.rate * invest, p.cap_per_project), numpy.nan)


class tech_project_gross(Variable):
    value_type = float
    entity = Item
    definition_period = DateUnit.YEAR
    label = "技术改造重点项目贴息、补助,每个项目,不重复奖补之前(元,最高;NaN = 不适用)"

    def formula(item, period, parameters):
        rate = parameters(period.stop).clause09_transformation.tech_project_rate
        invest = item("fixed_asset_investment", period)
        field = item("project_field", period)
        key_field = numpy.isin(field.view(numpy.ndarray), [f.index for f in KEY_FIELDS])
        paid = item("project_key", period) & key_field & item("item_valid", period) & numpy.isfinite(invest)
        return numpy.where(paid, rate * invest, numpy.nan)


class project_award_digital(Variable):
    value_type = bool
    entity = Item
    definition_period = DateUnit.YEAR
    label = "本项目按数字化项目奖励(较高者;相同时按条款顺序)"

    def formula(item, period, parameters):
        digital = item("digital_project_gross", period)
        tech = item("tech_project_gross", period)
        return numpy.isfinite(digital) & ~(tech > digital)


class project_award(Variable):
    value_type = float
    entity = Item
    definition_period = DateUnit.YEAR
    label = "项目奖励:数字化与技术改造中较高者,且高于其他政策(元,最高)"

    def formula(item, period, parameters):
        amount = numpy.where(item("project_award_digital", period), item("digital_project_gross", period),
                             item("tech_project_gross", period))
        amount = numpy.nan_to_num(amount, nan=0.0)
        return numpy.where(beats_other_policy(amount, item("other_policy_amount", period)), amount, 0)


class digital_project(Variable):
    value_type = float
    entity = Enterprise
    definition_period = DateUnit.YEAR
    label = "信息化改造、5G融合应用项目奖励(元,最高)"
    reference = "阳政办发〔2023〕25号 (八)"

    def formula(enterprise, period, parameters):
        item = enterprise.members
        own = numpy.where(item("project_award_digital", period), item("project_award", period), 0)
        return enterprise.sum(own, role=Enterprise.PROJECT)


class tech_project(Variable):
    value_type = float
    entity = Enterprise
    definition_period = DateUnit.YEAR
    label = "技术改造重点项目贴息、补助(元,最高)"
    reference = "阳政办发〔2023〕25号 (九)"

    def formula(enterprise, period, parameters):
        item = enterprise.members
        own = numpy.where(item("project_award_digital", period), 0, item("project_award", period))
        return enterprise.sum(own, role=Enterprise.PROJECT)
