"""The Chinese words a profile may use for each coded value, and the code each stands for."""

from __future__ import annotations

SIZE_ALIASES = {"大型": "large", "中型": "medium", "小型": "small", "微型": "micro"}
HONOUR_ALIASES = {
    "全市特色专业镇规模化领军企业": "leader_city",
    "全省特色专业镇规模化领军企业": "leader_province",
    "国家地理标志产品保护示范区": "gi_zone",
    "中欧地理标志产品互认互保名单": "gi_china_eu",
    "中华老字号": "laozihao_china",
    "山西老字号": "laozihao_shanxi",
    "三晋老字号": "laozihao_shanxi",
    "国家级制造业单项冠军产品": "single_champion",
    "中国工艺美术大师": "craft_master_national",
    "山西省工艺美术大师": "craft_master_province",
    "阳泉市工艺美术大师": "craft_master_city",
    "国家级非遗代表性传承人": "heritage_national",
    "省级非遗代表性传承人": "heritage_province",
    "高新技术企业": "high_tech",
}
LEVEL_ALIASES = {"国际标准": "international", "国家标准": "national", "行业标准": "industry",
                 "团体标准": "group", "地方标准": "local", "国际": "international",
                 "国家": "national", "行业": "industry", "团体": "group", "地方": "local"}
ROLE_ALIASES = {"主导": "lead", "参与": "participate"}
FIELD_ALIASES = {"产业基础再造": "foundation", "智能制造示范": "smart_manufacturing",
                 "绿色制造推广": "green_manufacturing", "产业链锻长补短": "chain_strengthening",
                 "技术创新提升": "innovation", "企业提标改造": "upgrade", "其他": "other"}
PROGRAMME_ALIASES = {"订单式": "order", "项目制": "project", "定向式": "directed"}
NEVER_ALIASES = {"从未进入": "never", "从未": "never", "无": "never"}
