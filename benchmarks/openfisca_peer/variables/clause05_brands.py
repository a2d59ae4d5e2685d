"""(五) 倾力打造"拳头产品": geographical-indication and 老字号 awards, each once per enterprise."""

from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable
from openfisca_peer.entities import Enterprise
from openfisca_peer.enums import HonourKind
from openfisca_peer.helpers import once_per_enterprise


class gi_zone(Variable):
    value_type = float
    entity = Enterprise
    definition_period = DateUnit.YEAR
    label = "国家地理标志产品保护示范区奖励(元)"
    reference = "阳政办发〔2023〕25号 (五)"

    def formula(enterprise, period, parameters):
        amount = parameters(period.stop).clause05_brands.gi_zone
        return once_per_enterprise(enterprise, period, HonourKind.gi_zone, amount)


class gi_china_eu(Variable):
    value_type = float
    entity = Enterprise
    definition_period = DateUnit.YEAR
    label = "中欧地理标志产品互认互保名单奖励(元)"
    reference = "阳政办发〔2023〕25号 (五)"

    def formula(enterprise, period, parameters):
        amount = parameters(period.stop).clause05_brands.gi_china_eu
        return once_per_enterprise(enterprise, period, HonourKind.gi_china_eu, amount)


class laozihao_china(Variable):
    value_type = float
    entity = Enterprise
    definition_period = DateUnit.YEAR
    label = "新入选“中华老字号”奖励(元)"
    reference = "阳政办发〔2023〕25号 (五)"

    def formula(enterprise, period, parameters):
        # laozihao = each_once: 中华老字号 and 山西老字号 are two honours, each paid once.
        amount = parameters(period.stop).clause05_brands.laozihao_china
        return once_per_enterprise(enterprise, period, HonourKind.laozihao_china, amount)


class laozihao_shanxi(Variable):
    value_type = float
    entity = Enterprise
    definition_period = DateUnit.YEAR
    label = "新入选“山西老字号”(三晋老字号)奖励(元)"
    reference = "阳政办发〔2023〕25号 (五)"

    def formula(enterprise, period, parameters):
        amount = parameters(period.stop).clause05_brands.laozihao_shanxi
        return once_per_enterprise(enterprise, period, HonourKind.laozihao_shanxi, amount)
