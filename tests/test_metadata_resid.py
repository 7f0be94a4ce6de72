"""Rules for errors that recur across the metadata dev sets, and for three known bugs of the 公文 head and
signature (spec ids m29-…), each on a text written for it with a negative.  Nothing here is written from a blind
set (the B halves, the held-out sets, the Zhejiang held-out split)."""
from __future__ import annotations

import pytest
from conftest import meta

from kg.extract.docnumber import find_doc_numbers
from kg.extract.reflow import issuer_code_cut


# --- m29-001/002: a 文号 whose 机关代字 follows the issuer's name, glued ------------------------------------------------

@pytest.mark.parametrize("text, number", [
    # m29-001: a name of more than twelve characters before the code (the code must not start inside the name)
    ("发文字号：某某市经济信息化委某经信规〔2023〕5号", "某经信规〔2023〕5号"),
    ("根据某某省人力资源和社会保障厅某人社发〔2021〕12号文件", "某人社发〔2021〕12号"),
    # m29-002: a code that itself ends like a body (国办 ends on 办) after a national office's name
    ("国务院办公厅国办发〔2022〕1号", "国办发〔2022〕1号"),
    ("文号：国务院办公厅国办函〔2019〕33号", "国办函〔2019〕33号"),
], ids=["m29-001a", "m29-001b", "m29-002a", "m29-002b"])
def test_the_code_after_a_glued_issuer_name(text, number):
    assert [d.value for d in find_doc_numbers(text)] == [number]


@pytest.mark.parametrize("text", [
    "工信部联科〔2021〕130号", "沪通信管临港〔2025〕1号",  # codes that hold a body's short name stay whole
    "认真执行川府发〔2022〕5号",  # sentence words before the code, no name
], ids=["m29-001n-a", "m29-001n-b", "m29-001n-c"])
def test_a_code_without_a_name_before_it_is_kept(text):
    want = text[text.index("川"):] if "执行" in text else text
    assert [d.value for d in find_doc_numbers(text)] == [want]


def test_a_name_that_goes_on_with_its_office_word_is_one_name():
    # m29-002n: 国家发展改革委办公厅 is one body (办公厅 is its own last word), and two bodies' names stay two
    s = "国家发展改革委办公厅发改办能源〔2022〕1号"
    assert s[:issuer_code_cut(s, 0, s.index("〔") + 1)] == "国家发展改革委办公厅"
    s = "湖州市科学技术局湖州市财政局湖科〔2018〕1号"
    assert s[:issuer_code_cut(s, 0, s.index("〔") + 1)] == "湖州市科学技术局湖州市财政局"


HEAD_GLUED = ("国务院办公厅国办发〔2022〕1号\n国务院办公厅关于进一步加强某某管理工作的通知\n"
              "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n为加强某某管理工作，经国务院同意，现就有关事项通知如下。\n"
              "一、加强组织领导。各地区要建立工作机制。\n二、强化保障。各部门要做好工作。\n特此通知。\n国务院办公厅\n2022年1月5日\n")


def test_a_head_line_of_issuer_and_number_is_split():
    # m29-002c: the issuer 国务院办公厅 and the 文号 国办发〔2022〕1号
    m = meta(HEAD_GLUED)
    assert m.doc_number == "国办发〔2022〕1号"
    assert m.issuers == ["国务院办公厅"]



# --- m29-003: the closing formula (特此通知。, 特此函告。, 此复。) is the notice's closing, not the last clause's text ---

def _texts(text: str) -> list[str]:
    from kg.pipeline import process_text

    d = process_text(text, "x.txt", with_facts=False)
    return [("".join(d.clean.text[a:b] for a, b in c.content_segments())) for c in d.all_clauses()]


REPLY = ("关于同意某某事项的批复\n某某区人民政府：\n你区《关于某某事项的请示》收悉。经研究，批复如下：\n"
         "一、同意你区开展某某工作。\n二、请你区认真组织实施，确保工作落到实处。\n{closing}\n某某市人民政府\n2023年3月1日\n")


@pytest.mark.parametrize("closing", ["特此通知。", "特此函告。", "此复。", "特此批复"],
                         ids=["m29-003a", "m29-003b", "m29-003c", "m29-003d"])
def test_a_closing_line_is_no_clause_text(closing):
    texts = _texts(REPLY.format(closing=closing))
    assert texts[-1] == "请你区认真组织实施，确保工作落到实处。"
    assert not any(closing.rstrip("。") in t for t in texts)


def test_a_closing_glued_to_the_last_sentence_is_cut_from_it():
    # m29-003e: …落到实处。此复。 on one line
    texts = _texts(REPLY.replace("实处。\n{closing}", "实处。此复。"))
    assert texts[-1] == "请你区认真组织实施，确保工作落到实处。"


@pytest.mark.parametrize("sentence", [
    "二、各单位要特此通知有关企业做好准备。",  # 特此 inside a sentence: no closing
    "二、要防止问题反复，如此复杂的情况要及时报告。",  # 此复 inside a word
], ids=["m29-003n-a", "m29-003n-b"])
def test_a_sentence_that_only_contains_the_words_keeps_them(sentence):
    texts = _texts(REPLY.replace("二、请你区认真组织实施，确保工作落到实处。\n{closing}\n", sentence + "\n"))
    assert texts[-1] == sentence[2:]


# --- m30-001: a page's byline or bulleted fields over a title set on two lines (found on a State Council opinion and
# a General Office opinion, as pages scrape them: 发布时间:… 来源: … ⏎ 国务院关于… ⏎ …的意见 ⏎ 国发〔…〕…号) -----------

HEAD_UNDER_BYLINE = ("发布时间:2024-01-02 10:11:12 来源: 某某网\n国务院关于推动某某地区高质量发展\n奋力开创某某工作新局面的意见\n"
                     "国发〔2023〕99号\n各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n"
                     "为推动某某地区高质量发展，现提出如下意见。\n一、总体要求\n某某地区要加快发展。\n")
HEAD_UNDER_BULLETS = ("《国务院办公厅关于加强某某工作的意见 国办发〔2024〕99号》\n  • 来源专题:某某\n  • 编译者: 某某\n"
                      "  • 发布时间:2024-09-18\n  • 国务院办公厅关于加强某某工作\n\n    推动某某高质量发展的意见\n\n"
                      "    国办发〔2024〕99号\n\n    各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n\n"
                      "    为加强某某工作，经国务院同意，现提出以下意见。\n\n    一、总体要求\n")


@pytest.mark.parametrize("text, title, issuer", [
    (HEAD_UNDER_BYLINE, "国务院关于推动某某地区高质量发展奋力开创某某工作新局面的意见", "国务院"),
    (HEAD_UNDER_BULLETS, "国务院办公厅关于加强某某工作推动某某高质量发展的意见", "国务院办公厅"),
], ids=["m30-001a", "m30-001b"])
def test_a_two_line_title_under_a_pages_byline(text, title, issuer):
    m = meta(text)
    assert m.title == title
    assert m.issuers == [issuer]
    assert m.level == "national"


@pytest.mark.parametrize("a, b", [
    ("发布时间:2024-01-02 来源: 某某网", "国务院关于推动某某地区高质量发展"),  # a byline, then a title's first line
    ("• 编译者: 某某", "• 发布时间:2024-09-18"),  # bulleted fields, one a line
], ids=["m30-001c", "m30-001d"])
def test_a_byline_does_not_run_into_the_next_line(a, b):
    from kg.clean import should_join
    assert should_join(a, b) is False


@pytest.mark.parametrize("a, b", [
    ("国务院关于推动某某地区高质量发展", "奋力开创某某工作新局面的意见"),  # the title's two lines still join
    ("各单位要认真贯彻落实有关要求，切实按照工作分工抓好落实，并会同", "国务院办公厅关于加强某某工作"),  # a sentence goes on
    ("联系电话：021-12345678，地址：某某路1号，请各单位参照", "国务院关于推动某某地区高质量发展的有关要求执行"),  # so here
], ids=["m30-001n-a", "m30-001n-b", "m30-001n-c"])
def test_a_title_or_sentence_broken_across_lines_still_joins(a, b):
    from kg.clean import should_join
    assert should_join(a, b) is True


# --- m30-002: a title with its 文号 after it in brackets, a page's date and a summary line under it (found on a
# provincial government's notice as a page gives it: …的通知 (浙政发〔2021〕1号) ⏎ 2021-02-22 269 ⏎ 核心提示:…) -----------

HEAD_NUMBER_IN_TITLE = ("某某省人民政府关于下达2021年某某省某某计划的通知 (某政发〔2021〕1号)\n\n   2021-02-22 269\n"
                        "核心提示:各市、县(市、区)人民政府,省政府直属各单位:2021年某某计划已经审议批准,现印发给你\n"
                        "各市、县(市、区)人民政府,省政府直属各单位:\n\n    2021年某某计划已经审议批准,现印发给你们,请认真组织实施。\n"
                        "    一、做好某某工作\n    各地要抓好落实。\n")


def test_a_title_with_its_number_in_brackets_is_a_line_of_its_own():
    # m30-002a: the 文号 is the document's own (metadata), the title without it
    m = meta(HEAD_NUMBER_IN_TITLE)
    assert m.doc_number == "某政发〔2021〕1号"
    assert m.title == "某某省人民政府关于下达2021年某某省某某计划的通知"
    from kg.clean import should_join
    assert should_join("某某省人民政府关于下达某某计划的通知 (某政发〔2021〕1号)", "2021-02-22 269") is False  # m30-002b


@pytest.mark.parametrize("a, b", [
    # m30-002n: a sentence citing a title and its 文号, broken after them, goes on
    ("为贯彻落实《国务院关于加强某某工作的通知》(国发〔2021〕1号)", "精神，结合我省实际，制定本方案。"),
    ("各区、各部门，要认真落实某某省关于加强某某工作的通知（某政发〔2021〕1号）", "要求，抓好落实。"),
], ids=["m30-002n-a", "m30-002n-b"])
def test_a_sentence_citing_a_title_and_number_still_joins(a, b):
    from kg.clean import should_join
    assert should_join(a, b) is True


# --- m30-003: a page's lead that names the plan, then the plan's own title and body (found on a provincial 十四五
# energy-saving plan reposted by a news page: 山西省人民政府印发《X》,… ⏎ X ⏎ 为贯彻落实国务院《…》…) -----------------

LEAD_THEN_TITLE = ("某某省人民政府印发《某某省“十四五”某某实施方案》，到2025年，全省某某指标比2020年下降10%。\n"
                   "某某省“十四五”某某实施方案\n为贯彻落实国务院《“十四五”某某综合工作方案》(国发〔2021〕99号)，制定本方案。\n"
                   "一、总体要求\n坚持稳中求进。\n二、主要目标\n到2025年，全省某某指标比2020年下降10%。\n")


def test_a_plan_title_under_a_pages_lead():
    # m30-003a: the title under the lead is the document's; the lead is the page's, no clause
    m = meta(LEAD_THEN_TITLE)
    assert m.title == "某某省“十四五”某某实施方案"
    assert m.level == "provincial"
    assert m.issuers == ["某某省人民政府"]  # m30-003b: the lead's body that issued the title


def test_a_lead_naming_another_document_gives_no_issuer():
    # m30-003n-c: the lead's 《》 is not the title below it: its body is no issuer of this document
    text = LEAD_THEN_TITLE.replace("印发《某某省“十四五”某某实施方案》", "印发《某某省某某条例》", 1)
    assert meta(text).issuers == []


@pytest.mark.parametrize("lines", [
    # m30-003n-a: the line under the first names a different document than the first line's 《》
    ["某某省人民政府印发《某某省某某条例》，自2025年施行。", "某某省某某实施方案", "为贯彻落实某某要求，制定本方案。"],
    # m30-003n-b: the named title's line is not followed by a body's opening
    ["某某省人民政府印发《某某省某某实施方案》。", "某某省某某实施方案", "记者从省政府获悉。"],
], ids=["m30-003n-a", "m30-003n-b"])
def test_no_plan_title_under_a_lead_that_does_not_name_it(lines):
    from kg.extract.layout import _title_under_lead
    assert _title_under_lead(lines) is None


def test_a_gates_word_for_plan_is_the_mainland_word():
    # m30-004: a page in traditional characters writes 計畫 for 计划 (same length): the title reads 行动计划, not 行动计画
    text = ("各市、縣(區)人民政府,省人民政府各部門、各直屬機構:\n經省委和省政府研究同意,現將《某某省新型基礎設施建設三年行動計畫(2023—2025年)》"
            "印發給你們,請認真組織實施。\n某某省人民政府辦公廳\n2023年7月4日\n加快新型基礎設施建設是順應未來科技發展進步的戰略選擇,"
            "為貫徹落實黨中央、國務院關於構建現代化基礎設施體系的決策部署,制定本行動計畫。\n一、總體要求和工作目標\n堅持適度超前、按需部署。\n")
    m = meta(text)
    assert m.title == "某某省新型基础设施建设三年行动计划（2023—2025年）"
    # m30-004n: the character 畫 alone (a picture, 畫面) stays 画
    from kg.clean import to_simplified
    assert to_simplified("畫面清晰的計畫") == "画面清晰的计划"


# --- m30-005: a notice that names no issuer nor place but addresses the bodies one level down (found on an autonomous
# region's notice as a page gives it: 各市、县人民政府,自治区人民政府各组成部门、各直属机构: ⏎ 《X》已经自治区人民政府同意…
# ⏎ 2020年12月29日, the signature's name lost) ------------------------------------------------------------------------

NO_ISSUER = ("{recipients}\n《某某工作方案》已经{consent}同意,现印发给你们,请认真组织实施。\n2020年12月29日\n(此件公开发布)\n"
             "某某工作方案\n为切实解决某某问题,结合我区实际,特制定本方案。\n一、总体要求\n坚持稳中求进。\n")


@pytest.mark.parametrize("recipients, consent, level, jurisdiction", [
    ("各市、县人民政府,自治区人民政府各组成部门、各直属机构:", "自治区人民政府", "provincial", None),  # m30-005a
    ("各市、县人民政府,省政府各部门、各直属机构:", "省人民政府", "provincial", None),  # m30-005b
    ("各省、自治区、直辖市人民政府,国务院各部委、各直属机构:", "国务院", "national", "全国"),  # m30-005c
    ("各区人民政府,市政府各委、办、局:", "市人民政府", None, None),  # m30-005n: a city's or a municipality's, unknown
], ids=["m30-005a", "m30-005b", "m30-005c", "m30-005n"])
def test_the_level_from_the_recipients_line(recipients, consent, level, jurisdiction):
    m = meta(NO_ISSUER.format(recipients=recipients, consent=consent))
    assert (m.level, m.jurisdiction) == (level, jurisdiction)


# --- m30-006: a page's footer under the signature (found on a ministry's general office bulletin as a city portal gives
# it: …办公厅 ⏎ 2024年2月4日 ⏎ 扫一扫在手机打开当前页面 ⏎ 主办:… ⏎ 联系电话:… ⏎ 地址:…) ------------------------------------------

BULLETIN = ("某某部办公厅关于2023年某某建设情况的通报\n\n各省、自治区、直辖市某某主管部门,各有关单位:\n\n"
            "为贯彻落实有关部署,我部组织开展了2023年度某某评估工作。\n\n现将评估情况予以通报。各地要加强经验交流。\n\n"
            "附件:1.2023年度某某情况汇总表\n\n      2.2023年度某某典型做法\n\n\n  某某部办公厅\n\n2024年2月4日 \n\n{after}")


def test_a_pages_footer_under_the_signature_is_no_clause_text():
    # m30-006a: the footer (扫一扫…, 主办, 联系电话, 地址) went into the last clause's text
    texts = _texts(BULLETIN.format(after="扫一扫在手机打开当前页面\n\n主办:某某市人民政府办公室\n\n联系电话:0857-1234567\n\n"
                                         "地址:某某市某某大道518号\n"))
    assert not any("主办" in t or "联系电话" in t or "扫一扫" in t for t in texts), texts
    assert texts[-1].endswith("典型做法")


def test_text_under_the_signature_that_is_no_pages_footer_is_kept():
    # m30-006n: a line under the date that is no page's trailer stays where it was read (the rule cuts only at 扫一扫…)
    texts = _texts(BULLETIN.format(after="主办单位:某某市人民政府办公室\n"))
    assert any("主办单位" in t for t in texts), texts
