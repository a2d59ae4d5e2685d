"""The enterprise's total: every provision above, ceilings (最高) counted at the ceiling; money paid to an
outside training provider is not in it (payable_to_providers)."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable
from openfisca_peer.entities import Enterprise
from openfisca_peer.helpers import PROVISIONS


class total_award(Variable):
    value_type = float
    entity = Enterprise
    definition_period = DateUnit.YEAR
    label = "企业合计(元):确定金额 + 最高可达"

    def formula(enterprise, period, parameters):
        return sum(enterprise(name, period) for name in PROVISIONS) - enterprise("payable_to_providers", period)
