"""Array helpers the formulas share (plain numpy; not variables)."""

import numpy

# 以上政策自公布之日起30日后施行,有效期至2025年12月31日 (2023-04-11 published): the window every
# qualifying event (honour granted, standard issued, training finished, investment made) must fall in.
WINDOW_START = numpy.datetime64("2023-05-11")
WINDOW_END = numpy.datetime64("2025-12-31")
# The enterprise variables of the provisions, in rule order: the peer's output columns, summed in the total.
PROVISIONS = (
    "leader_city", "leader_province", "standard", "gi_zone", "gi_china_eu", "laozihao_china", "laozihao_shanxi",
    "training_onjob", "training_order", "digital_project", "tech_project", "rd_equipment", "single_champion",
    "new_material_insurance", "revenue_tier", "market_share",
)
NO_OTHER_POLICY = -1.0  # other_policy_* inputs: no award for the subject under another city policy


def in_window(dates: numpy.ndarray, claim_year: int) -> numpy.ndarray:
    """The event lies in the policy's window and not after the claim year (it is claimed then or later)."""
    days = dates.astype("datetime64[D]")
    years = days.astype("datetime64[Y]").astype(numpy.int64) + 1970
    return (days >= WINDOW_START) & (days <= WINDOW_END) & (years <= claim_year)


def beats_other_policy(amount: numpy.ndarray, other: numpy.ndarray) -> numpy.ndarray:
    """就高不就低: this policy's award counts only if strictly higher than the other policy's for the subject."""
    return amount > other


def share_enterprise_cap(group, gross: numpy.ndarray, eligible: numpy.ndarray, other: numpy.ndarray,
                         cap: float) -> numpy.ndarray:
    """A per-enterprise cap shared out over the enterprise's items in the order they are listed, settled
    with other city policies as zyz does: an item whose share is not above the other policy's award for
    its subject is lost to it, which frees room for the others; repeat until nothing more is lost.

    ``group`` is the enterprise population; arrays are over its members (items).
    """
    entity = group.members_entity_id
    order = numpy.lexsort((group.members_position, entity))
    sorted_entity = entity[order]
    first = numpy.ones(len(order), dtype=bool)
    first[1:] = sorted_entity[1:] != sorted_entity[:-1]
    run = numpy.cumsum(first) - 1  # index of each sorted item's enterprise run
    gross = gross.astype(numpy.float64)
    lost = numpy.zeros(len(order), dtype=bool)
    while True:
        wanted = numpy.where(eligible & ~lost, gross, 0.0)[order]
        running = numpy.cumsum(wanted)
        upto = running - (running - wanted)[first][run]  # cumulative within the enterprise
        share_sorted = numpy.minimum(upto, cap) - numpy.minimum(upto - wanted, cap)
        share = numpy.empty_like(share_sorted)
        share[order] = share_sorted
        newly_lost = eligible & ~lost & ~beats_other_policy(share, other)
        if not newly_lost.any():
            return numpy.where(eligible & ~lost, share, 0.0)
        lost |= newly_lost


def once_per_enterprise(enterprise, period, kind, amount, honours=None):
    """A one-time award for holding an honour of this kind: paid once whatever the number of honours,
    unless another city policy pays at least as much for the same subject (one subject per kind)."""
    item = enterprise.members
    if honours is None:
        honours = (item("honour_kind", period) == kind) & item("item_valid", period)
    held = enterprise.sum(honours, role=enterprise.entity.HONOUR) > 0
    other = enterprise.max(numpy.where(honours, item("other_policy_amount", period), NO_OTHER_POLICY),
                           role=enterprise.entity.HONOUR)
    return numpy.where(held & beats_other_policy(amount, other), amount, 0)
