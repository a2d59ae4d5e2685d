"""Facts every provision tests: the enterprise is in a town; the item's date is in the policy's window."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable
from openfisca_peer.entities import Enterprise, Item
from openfisca_peer.enums import Town
from openfisca_peer.helpers import in_window


class in_town(Variable):
    value_type = bool
    entity = Enterprise
    definition_period = DateUnit.YEAR
    label = "位于专业镇(每一条都要求)"

    def formula(enterprise, period, parameters):
        town = enterprise("town", period)
        return (town != Town.unknown) & (town != Town.outside)


class item_valid(Variable):
    value_type = bool
    entity = Item
    definition_period = DateUnit.YEAR
    label = "事项的企业位于专业镇,事项日期在有效期内且不晚于申报年度"

    def formula(item, period, parameters):
        return item.enterprise("in_town", period) & in_window(item("item_date", period), period.start.year)
