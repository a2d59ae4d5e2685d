"""(七) 开展员工技能培训: on-the-job training (300 元 a person) and order-style training (stepped, per trainee)."""

import numpy
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable
from openfisca_peer.entities import Enterprise, Item
from openfisca_peer.helpers import beats_other_policy, in_window


class training_onjob(Variable):
    value_type = float
    entity = Enterprise
    definition_period = DateUnit.YEAR
    label = "在岗职工职业技能提升培训补贴(元)"
    reference = "阳政办发〔2023〕25号 (七)"

    def formula(enterprise, period, parameters):
        per_person = parameters(period.stop).clause07_training.onjob_per_person
        paid = enterprise("in_town", period) & in_window(enterprise("onjob_finished", period), period.start.year)
        amount = per_person * enterprise("onjob_trainees", period)
        return numpy.where(paid & beats_other_policy(amount, enterprise("onjob_other_policy", period)), amount, 0)


class training_order_item(Variable):
    value_type = float
    entity = Item
    definition_period = DateUnit.YEAR
    label = "订单式、项目制、定向式培训阶梯式补贴,每个培训项目(元,付给培训主体)"

    def formula(item, period, parameters):
        p = parameters(period.stop).clause07_training
        days = item("training_days", period)
        # training_order = per_trainee: every trainee of a programme whose employment rate reaches 80%.
        per_person = numpy.minimum(
            p.order_first_days_per_day * numpy.minimum(days, p.order_first_days)
            + p.order_later_per_day * numpy.maximum(days - p.order_first_days, 0),
            p.order_cap_per_person)
        amount = item("trainees", period) * per_person
        paid = (item("item_valid", period) & item.enterprise("leading_industry", period)
                & (item("employment_rate", period) >= p.order_employment_rate))
        return numpy.where(paid & beats_other_policy(amount, item("other_policy_amount", period)), amount, 0)


class training_order(Variable):
    value_type = float
    entity = Enterprise
    definition_period = DateUnit.YEAR
    label = "订单式、项目制、定向式培训阶梯式补贴(元;付给培训主体,本企业承担的部分计入企业合计)"
    reference = "阳政办发〔2023〕25号 (七)"

    def formula(enterprise, period, parameters):
        return enterprise.sum(enterprise.members("training_order_item", period), role=Enterprise.PROGRAMME)


class payable_to_providers(Variable):
    value_type = float
    entity = Enterprise
    definition_period = DateUnit.YEAR
    label = "另付培训主体(元,不计入企业合计)"
    reference = "阳政办发〔2023〕25号 (七)"

    def formula(enterprise, period, parameters):
        item = enterprise.members
        others = numpy.where(item("provider_is_self", period), 0, item("training_order_item", period))
        return enterprise.sum(others, role=Enterprise.PROGRAMME)
