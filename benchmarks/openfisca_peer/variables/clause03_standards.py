"""(三) 深化产业标准引领: standards led or taken part in (ceiling amounts, 最高)."""

import numpy
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable
from openfisca_peer.entities import Enterprise, Item
from openfisca_peer.enums import StandardLevel
from openfisca_peer.helpers import beats_other_policy


class standard_item(Variable):
    value_type = float
    entity = Item
    definition_period = DateUnit.YEAR
    label = "标准制修订经费补助,每项标准(元,最高)"

    def formula(item, period, parameters):
        level = item("standard_level", period)
        table = parameters(period.stop).clause03_standard
        amount = table[level][item("standard_role", period)]
        paid = (level != StandardLevel.none) & item("item_valid", period) & (amount > 0)
        return numpy.where(paid & beats_other_policy(amount, item("other_policy_amount", period)), amount, 0)


class standard(Variable):
    value_type = float
    entity = Enterprise
    definition_period = DateUnit.YEAR
    label = "主导(参与)标准制修订经费补助(元,最高)"
    reference = "阳政办发〔2023〕25号 (三)"

    def formula(enterprise, period, parameters):
        return enterprise.sum(enterprise.members("standard_item", period), role=Enterprise.STANDARD)
