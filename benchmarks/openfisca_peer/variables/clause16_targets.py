"""(十六) 实施达标奖励措施: revenue first reaching 1亿/3亿/10亿, market share first in the top 10/top 5.

Only the highest tier newly reached in the claim year pays (revenue_tier = market_share = highest_only).
"""

import numpy
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable
from openfisca_peer.entities import Enterprise
from openfisca_peer.helpers import beats_other_policy


class revenue_tier(Variable):
    value_type = float
    entity = Enterprise
    definition_period = DateUnit.YEAR
    label = "骨干企业营收规模首次达到1亿、3亿、10亿元奖励(元)"
    reference = "阳政办发〔2023〕25号 (十六)"

    def formula(enterprise, period, parameters):
        scale = parameters(period.stop).clause16_targets.revenue_tier
        now = enterprise("revenue", period)
        before = enterprise("highest_revenue_before", period)
        known = numpy.isfinite(now) & numpy.isfinite(before)
        reached = scale.calc(numpy.nan_to_num(now))
        paid = (enterprise("in_town", period) & enterprise("leading_industry", period)
                & enterprise("backbone", period) & known & (reached > scale.calc(numpy.nan_to_num(before))))
        return numpy.where(paid & beats_other_policy(reached, enterprise("revenue_tier_other_policy", period)),
                           reached, 0)


def _market_tier_amount(rank, p):
    return numpy.select([rank <= p.top_5.rank, rank <= p.top_10.rank], [p.top_5.amount, p.top_10.amount], 0)


class market_share(Variable):
    value_type = float
    entity = Enterprise
    definition_period = DateUnit.YEAR
    label = "主导产品市场占有率首次进入全国前10名、前5名奖励(元)"
    reference = "阳政办发〔2023〕25号 (十六)"

    def formula(enterprise, period, parameters):
        p = parameters(period.stop).clause16_targets.market_share
        rank = enterprise("market_rank", period)
        before = enterprise("market_rank_best_before", period)
        reached = _market_tier_amount(rank, p)
        paid = (enterprise("in_town", period) & enterprise("leading_industry", period) & (rank >= 1)
                & (before >= 1) & (reached > _market_tier_amount(before, p)))
        return numpy.where(paid & beats_other_policy(reached, enterprise("market_share_other_policy", period)),
                           reached, 0)
