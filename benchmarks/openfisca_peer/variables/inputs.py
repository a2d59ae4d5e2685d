"""Input variables: the facts read from the main table (enterprise) and the list files (items).

A money amount left empty in the input is NaN (unknown): every comparison with it is false, so a
provision that needs it pays nothing, as zyz's 需补充信息 pays nothing. A rank left empty is 0.
"""

from datetime import date

import numpy
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable
from openfisca_peer.entities import Enterprise, Item
from openfisca_peer.enums import HonourKind, ProjectField, StandardLevel, StandardRole, Town
from openfisca_peer.helpers import NO_OTHER_POLICY

YEAR = DateUnit.YEAR
NEVER_RANKED = 1_000_000  # market_rank_best_before: 从未进入排名


# The enterprise (main table).


class town(Variable):
    definition_period = YEAR
    value_type = Enum
    possible_values = Town
    default_value = Town.unknown
    entity = Enterprise
    label = "专业镇"


class leading_industry(Variable):
    definition_period = YEAR
    value_type = bool
    entity = Enterprise
    label = "属于主导产业(未填按否:不予奖补)"


class backbone(Variable):
    definition_period = YEAR
    value_type = bool
    entity = Enterprise
    label = "骨干企业"


class revenue(Variable):
    definition_period = YEAR
    value_type = float
    default_value = numpy.nan
    entity = Enterprise
    label = "申报年度营业收入(元)"


class highest_revenue_before(Variable):
    definition_period = YEAR
    value_type = float
    default_value = numpy.nan
    entity = Enterprise
    label = "以往最高年营收(元)"


class industry_revenue_rank(Variable):
    definition_period = YEAR
    value_type = int
    entity = Enterprise
    label = "主导产业营收排名(0 = 未填)"


class market_rank(Variable):
    definition_period = YEAR
    value_type = int
    entity = Enterprise
    label = "主导产品全国市场占有率排名(0 = 未填)"


class market_rank_best_before(Variable):
    definition_period = YEAR
    value_type = int
    entity = Enterprise
    label = f"以往最好全国排名(0 = 未填,{NEVER_RANKED} = 从未进入)"


class equipment_investment(Variable):
    definition_period = YEAR
    value_type = float
    default_value = numpy.nan
    entity = Enterprise
    label = "当年研发检测试验设备投入(元)"


class onjob_trainees(Variable):
    definition_period = YEAR
    value_type = int
    entity = Enterprise
    label = "在岗培训职工人数"


class onjob_finished(Variable):
    definition_period = YEAR
    value_type = date
    entity = Enterprise
    label = "在岗培训完成日期(未填为 1970-01-01,在有效期外)"


class equipment_other_policy(Variable):
    definition_period = YEAR
    value_type = float
    default_value = NO_OTHER_POLICY
    entity = Enterprise
    label = "其他政策对“设备购置:申报年度”的奖补(元,-1 = 无)"


class onjob_other_policy(Variable):
    definition_period = YEAR
    value_type = float
    default_value = NO_OTHER_POLICY
    entity = Enterprise
    label = "其他政策对“在岗职工培训:年度”的奖补(元,-1 = 无)"


class revenue_tier_other_policy(Variable):
    definition_period = YEAR
    value_type = float
    default_value = NO_OTHER_POLICY
    entity = Enterprise
    label = "其他政策对“营收首次达标”的奖补(元,-1 = 无)"


class market_share_other_policy(Variable):
    definition_period = YEAR
    value_type = float
    default_value = NO_OTHER_POLICY
    entity = Enterprise
    label = "其他政策对“市场占有率首次进入”的奖补(元,-1 = 无)"


# The items (list files). Each variable is read for the items of its list; others keep the default.


class item_date(Variable):
    definition_period = YEAR
    value_type = date
    entity = Item
    label = "事项日期:获评、发布、投资完成、培训完成或投保日期"


class other_policy_amount(Variable):
    definition_period = YEAR
    value_type = float
    default_value = NO_OTHER_POLICY
    entity = Item
    label = "同一事项在本市其他政策下的最高奖补(元,-1 = 无;就高不就低)"


class honour_kind(Variable):
    definition_period = YEAR
    value_type = Enum
    possible_values = HonourKind
    default_value = HonourKind.none
    entity = Item
    label = "荣誉类别"


class standard_level(Variable):
    definition_period = YEAR
    value_type = Enum
    possible_values = StandardLevel
    default_value = StandardLevel.none
    entity = Item
    label = "标准级别"


class standard_role(Variable):
    definition_period = YEAR
    value_type = Enum
    possible_values = StandardRole
    default_value = StandardRole.participate
    entity = Item
    label = "角色(主导/参与)"


class project_digital(Variable):
    definition_period = YEAR
    value_type = bool
    entity = Item
    label = "信息化改造/5G融合应用项目"


class project_key(Variable):
    definition_period = YEAR
    value_type = bool
    entity = Item
    label = "重点项目"


class project_field(Variable):
    definition_period = YEAR
    value_type = Enum
    possible_values = ProjectField
    default_value = ProjectField.unknown
    entity = Item
    label = "项目领域"


class software_hardware_investment(Variable):
    definition_period = YEAR
    value_type = float
    default_value = numpy.nan
    entity = Item
    label = "软硬件投资额(元)"


class fixed_asset_investment(Variable):
    definition_period = YEAR
    value_type = float
    default_value = numpy.nan
    entity = Item
    label = "固定资产投资额(元)"


class premium(Variable):
    definition_period = YEAR
    value_type = float
    entity = Item
    label = "实际投保年度保费(元)"


class premium_qualifies(Variable):
    definition_period = YEAR
    value_type = bool
    entity = Item
    label = "符合我省保险补偿机制"


class trainees(Variable):
    definition_period = YEAR
    value_type = int
    entity = Item
    label = "培训人数"


class training_days(Variable):
    definition_period = YEAR
    value_type = int
    entity = Item
    label = "培训天数"


class employment_rate(Variable):
    definition_period = YEAR
    value_type = float
    default_value = numpy.nan
    entity = Item
    label = "培训后就业率"


class provider_is_self(Variable):
    definition_period = YEAR
    value_type = bool
    entity = Item
    label = "培训主体为本企业(补贴计入企业合计)"
