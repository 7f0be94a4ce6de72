"""Chinese labels of the graph's codes, one table each, for every reader: kg lineage/ask and the other CLI
commands, the app (ui/), the exports.  A code without a label is shown as written."""
from __future__ import annotations

LEVEL_ZH = {"national": "国家级", "provincial": "省级", "prefectural": "地市级", "county": "区县级", "township": "乡镇级"}
RELATION_ZH = {"applies": "落实", "based_on": "依据", "cites": "引用"}
METHOD_ZH = {"explicit-citation": "明确引用", "doc-number": "文号匹配", "title-match": "标题匹配",
             "clause-similarity": "条款相似", "target-metric": "目标指标", "human": "人工添加",
             "lexical": "词面", "embedding": "向量", "hybrid": "混合"}
# how the level of a document outside the corpus was read off its citation (kg/resolve.py cited_level)
LEVEL_SOURCE_ZH = {"cited-issuer": "据引文所列发文机关", "title-issuer": "据标题中的发文机关", "title-place": "据标题中的地名",
                   "doc-number-code": "据文号的机关代字推断"}
REVIEW_ZH = {"unreviewed": "未审核", "confirmed": "已确认", "rejected": "已否决"}
ROLE_ZH = {"lead": "牵头", "co": "配合", "actor": "被引导主体", "implied": "发文机关（默认）"}
KIND_ZH = {"target": "目标", "baseline": "基数", "achievement": "已达成", "criterion": "标准", "context": "背景",
           "incentive": "奖补"}
CHANGE_ZH = {"decrease": "下降", "increase": "增长", "new": "新增", "cumulative": "累计"}  # a target's change, as shown
TARGET_RELATION_ZH = {"share": "份额", "same": "相同", "stricter": "更严", "looser": "更宽", "successor": "后续"}
