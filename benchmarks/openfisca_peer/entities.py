"""Entities: the *item* (OpenFisca's person entity) and the *enterprise* (a group entity).

OpenFisca groups persons; here an enterprise groups its items. Every enterprise has one member of
role ``self`` (its own row of the main table), so that no group is empty (OpenFisca's aggregations
assume every group has a member), plus one member per list row, with the role naming the list.
"""

from openfisca_core.entities import build_entity

Item = build_entity(
    key="item",
    plural="items",
    label="一项事项(企业自身、项目、标准、荣誉、培训项目、保费)",
    doc="A row of the input: the enterprise's own row, or a row of one of its list files.",
    is_person=True,
)

Enterprise = build_entity(
    key="enterprise",
    plural="enterprises",
    label="专业镇企业",
    doc="An enterprise in (or outside) one of Yangquan's specialised towns, for one claim year.",
    roles=[
        {"key": "self", "max": 1, "label": "企业自身", "doc": "The enterprise's row of the main table."},
        {"key": "project", "plural": "projects", "label": "项目"},
        {"key": "standard", "plural": "standards", "label": "标准"},
        {"key": "honour", "plural": "honours", "label": "荣誉"},
        {"key": "programme", "plural": "programmes", "label": "订单式等培训项目"},
        {"key": "premium", "plural": "premiums", "label": "首批次保险保费"},
    ],
)

entities = [Item, Enterprise]
