"""Classes of metadata errors pooled from every readable metadata set (zhejiang-dev, dev 3–13, dev 18, dev 20, dev 24A;
session of 2026-12-01, night), each as a rule on a text written for it (other places and titles than the sets'),
with a negative.  The blind sets (zhejiang-heldout, held-out 3–8, dev 24B) were never read: nothing here comes from
them."""
from __future__ import annotations

import datetime as dt

import pytest

from conftest import meta


# --- a county or district the division table no longer lists (abolished or made a district since) ------------------

def test_a_former_district_is_the_jurisdiction_of_an_older_document():
    m = meta("各街道办事处，区级各部门：\n现将《某某办法》印发给你们，请认真贯彻执行。\n"
             "杭州市江干区人民政府办公室\n2018年6月19日\n")
    assert (m.level, m.jurisdiction) == ("county", "江干区")
    m = meta("各乡镇人民政府，各街道办事处，市级各部门：\n现将《某某办法》印发给你们。\n临安市人民政府\n2016年6月19日\n")
    assert (m.level, m.jurisdiction) == ("county", "临安市")


def test_a_current_district_and_a_city_keep_their_level():
    m = meta("各镇人民政府，各街道办事处：\n现将《某某办法》印发给你们。\n杭州市临安区人民政府\n2018年6月19日\n")
    assert (m.level, m.jurisdiction) == ("county", "临安区")
    m = meta("各区、县（市）人民政府，市政府各部门：\n现将《某某办法》印发给你们。\n杭州市人民政府\n2018年6月19日\n")
    assert (m.level, m.jurisdiction) == ("prefectural", "杭州市")


# --- a signature glued to its date and to the title of the document the notice issues, whatever follows it -----------

def test_a_signature_glued_to_the_issued_title_ends_at_that_title():
    m = meta("各镇人民政府，各街道办事处，县政府直属各单位：\n"
             "现将《某县促进科技创新若干政策》印发给你们，请认真贯彻执行。某某县人民政府办公室二00八年三月五日"
             "某县促进科技创新若干政策近年来，我县科技创新工作取得明显成效。\n一、加大投入\n")
    assert m.issuers == ["某某县人民政府办公室"] and m.date_document == dt.date(2008, 3, 5)
    assert m.title == "某县促进科技创新若干政策"


def test_a_body_and_a_date_before_a_title_not_named_above_are_no_signature():
    # the title is named in 《》 only further down: nothing says the line breaks there
    m = meta("各镇人民政府：\n请各地抓好落实。某某县人民政府办公室二00八年三月五日某县促进科技创新若干政策近年来成效明显，"
             "《某县促进科技创新若干政策》另行印发。\n")
    assert m.date_document is None and m.issuers == []


# --- a 文号 glued to the end of the title on one line -----------------------------------------------------------------

def test_a_doc_number_glued_to_the_title_starts_after_the_title_s_kind():
    m = meta("某市科学技术局关于印发某某补贴办法的通知某科综〔2018〕32号\n各县（市、区）科技局：\n"
             "现将《某某补贴办法》印发给你们，请认真贯彻执行。\n某市科学技术局\n2018年6月19日\n")
    assert m.doc_number == "某科综〔2018〕32号"
    assert m.notice_title == "某市科学技术局关于印发某某补贴办法的通知"


def test_a_code_that_ends_like_a_kind_stays_whole():
    # 国办函: 函 is a kind, but no title ends there (no 的 before it)
    m = meta("国务院办公厅文件国办函〔2004〕36号国务院办公厅关于某某问题的复函某省人民政府：\n你省《关于某某的请示》收悉。\n"
             "国务院办公厅\n2004年3月5日\n")
    assert m.doc_number == "国办函〔2004〕36号"


# --- masthead, 文号, title and 主送 run together, the body going on after the colon on the same line ------------------

def test_a_head_run_into_its_body_splits_the_title_from_the_recipients():
    m = meta("某市人民政府办公室文件某政办发〔2018〕33号某市人民政府办公室关于印发某某办法的通知各县（市、区）人民政府，"
             "市政府各部门：现将《某某办法》印发给你们，请认真贯彻执行。\n某市人民政府办公室\n2018年6月19日\n")
    assert m.notice_title == "某市人民政府办公室关于印发某某办法的通知"
    assert m.recipients == ["各县（市、区）人民政府", "市政府各部门"]


def test_a_first_sentence_citing_a_notice_is_not_split_as_a_title():
    from kg.clean import clean
    from kg.extract.reflow import reflow
    from kg.read import read_bytes

    line = "根据《关于某某工作的通知》要求，现将有关事项通知如下：一、加强领导。"
    ct = reflow(clean(read_bytes(("某某工作方案\n" + line + "\n").encode(), name="x.txt")))
    assert "现将有关事项通知如下：" in ct.text.splitlines()[1]


# --- a government's decree (令): its number on one line, signed by an office holder with a name, its text run together -

DECREE = ("某某市人民政府令第235号《某某市停车场管理办法》已经2017年12月4日市人民政府第20次常务会议审议通过，现予公布，"
          "自2018年2月1日起施行。市长张某某2017年12月18日某某市停车场管理办法第一条为了规范停车场管理，制定本办法。\n")


def test_a_decree_run_together_is_the_body_s_whose_order_it_is():
    m = meta(DECREE)
    assert m.doc_number == "某某市人民政府令第235号"
    assert m.issuers == ["某某市人民政府"] and "张某某" not in m.issuers
    assert m.title == "某某市停车场管理办法"
    assert m.date_document == dt.date(2017, 12, 18)


def test_a_decree_on_its_lines_signed_office_and_name():
    m = meta("某某市人民政府令\n第235号\n《某某市停车场管理办法》已经2017年12月4日市人民政府第20次常务会议审议通过，现予公布，"
             "自2018年2月1日起施行。\n市长  张某某\n2017年12月18日\n某某市停车场管理办法\n第一条 为了规范停车场管理，制定本办法。\n")
    assert m.issuers == ["某某市人民政府"] and m.title == "某某市停车场管理办法"
    assert m.doc_number == "某某市人民政府令第235号"


def test_a_sentence_citing_a_decree_is_no_decree():
    m = meta("某某市停车场管理实施细则\n根据国务院令第235号的规定，结合本市实际，制定本细则。\n第一条 本细则适用于本市。\n")
    assert m.doc_number is None and m.title == "某某市停车场管理实施细则"


# --- a regulation's title, its note of adoption and amendment, and its first article on one line ----------------------

REGULATION_RUN_TOGETHER = ("某某省某某保护条例（2005年3月31日某某省第十届人民代表大会常务委员会第十七次会议通过 根据2015年9月25日"
                           "某某省第十二届人民代表大会常务委员会第二十二次会议《关于修改〈某某省某某保护条例〉的决定》修正）"
                           "第一章总则第一条为了规范管理，制定本条例。\n")


def test_a_regulation_run_together_is_dated_by_its_adoption_and_a_draft_s_date_is_no_adoption():
    from kg.extract.reflow import _patterns

    m = meta(REGULATION_RUN_TOGETHER)
    assert (m.title, m.date_document) == ("某某省某某保护条例", dt.date(2005, 3, 31))
    note = _patterns()["title_adoption"]
    assert note.match("某某工作方案（2018年3月5日修改稿）一、总体要求") is None  # a bracketed date without adoption
    assert note.match("某某管理办法（2018年3月5日市政府第20次常务会议通过）第一条") is not None


# --- a portal's page whose fields name no body: the body the title opens with ----------------------------------------

@pytest.mark.parametrize("title,issuers,where", [
    ("通许县人民政府工作规则", ["通许县人民政府"], ("county", "通许县")),
    ("杭州市区域协调发展规划", [], None)])  # a title opening with a place only names no issuer
def test_a_title_opening_with_a_body_names_the_issuer_when_nothing_else_does(title, issuers, where):
    m = meta(f"返回顶部\n\n{title}\n\n• 索引号:\n\n6107280000/2024-001005\n• 发文机构:\n\n县政府网站\n"
             f"• 发文字号:\n\n某政发〔2024〕7号\n• 发文日期:\n\n2024年04月06日 16:40\n\n{title}\n\n第一章 总则\n"
             "第一条 为规范工作，制定本规定。\n")
    assert m.issuers == issuers
    if where:
        assert (m.level, m.jurisdiction) == where


# --- a signature glued to an older colophon (主题词：, 抄报：) ---------------------------------------------------------

def test_a_signature_glued_to_its_subject_words_ends_at_them():
    m = meta("各镇人民政府：\n现将《某某办法》印发给你们，请认真贯彻执行。\n某某县人民政府办公室2009年9月30日主题词：科技 办法 通知\n")
    assert m.issuers == ["某某县人民政府办公室"] and m.date_document == dt.date(2009, 9, 30)


def test_subject_words_inside_a_sentence_are_no_colophon():
    m = meta("各镇人民政府：\n某某县人民政府办公室2009年9月30日主题词检索工作会议纪要已经下发。\n")
    assert m.date_document is None


# --- a joint signature glued together, a national body's local office among the names ---------------------------------

def test_a_national_body_s_local_office_after_a_local_body_is_a_new_name():
    from kg.extract.reflow import split_org_run

    assert split_org_run("某某市财政局国家税务总局嘉兴市税务局") == ["某某市财政局", "国家税务总局嘉兴市税务局"]
    m = meta("各县（市、区）科技局、财政局：\n现将《某某办法》印发给你们，请认真贯彻执行。\n"
             "嘉兴市科学技术局嘉兴市财政局国家税务总局嘉兴市税务局2018年6月19日\n")
    assert m.issuers == ["嘉兴市科学技术局", "嘉兴市财政局", "国家税务总局嘉兴市税务局"]
    assert (m.level, m.jurisdiction) == ("prefectural", "嘉兴市")


def test_a_national_body_s_local_office_stays_one_name():
    from kg.extract.reflow import split_org_run
    from kg.gazetteer import default_gazetteer

    assert split_org_run("国家税务总局嘉兴市税务局") == ["国家税务总局嘉兴市税务局"]
    r = default_gazetteer().resolve("国家税务总局嘉兴市税务局")
    assert r is not None and r.name == "国家税务总局嘉兴市税务局" and r.jurisdiction == "嘉兴市"


def test_a_head_run_into_a_body_that_opens_with_the_issued_title_or_a_time_word():
    m = meta("某市人民政府办公室关于印发某某办法的通知各县（市、区）人民政府，市政府各部门：《某某办法》已经市政府同意，"
             "现印发给你们，请认真贯彻执行。\n某市人民政府办公室\n2018年6月19日\n")
    assert m.recipients == ["各县（市、区）人民政府", "市政府各部门"]
    m = meta("某市人民政府关于加快某某发展的意见各县（市、区）人民政府，市政府各部门：当前，我市某某发展迅速。\n"
             "某市人民政府\n2018年6月19日\n")
    assert m.notice_title == "某市人民政府关于加快某某发展的意见"
    assert m.recipients == ["各县（市、区）人民政府", "市政府各部门"]


def test_a_field_label_before_a_title_in_brackets_is_no_recipients_line():
    from kg.clean import clean
    from kg.extract.reflow import reflow
    from kg.read import read_bytes

    ct = reflow(clean(read_bytes("标题：《某某办法》已经废止\n正文如下。\n".encode(), name="x.txt")))
    assert ct.text.splitlines()[0] == "标题：《某某办法》已经废止"


# --- a signature glued to what a scrape puts after its date: a bracketed note, 附表, a plan whose first item is （一） -----

def test_a_signature_glued_to_a_note_an_annexed_table_or_a_title_with_its_first_item():
    head = "各县（市、区）人民政府，市政府各部门：\n现将《某某办法》印发给你们，请认真贯彻执行。\n"
    for tail in ("（联系人：张三，联系电话：12345678）", "（公开方式：主动公开）", "附表：某某申请表", "某市某某办法（一）总体要求"):
        m = meta(head + "某市科学技术局2018年6月19日" + tail + "\n")
        assert m.issuers == ["某市科学技术局"] and m.date_document == dt.date(2018, 6, 19), tail


def test_a_body_and_a_date_inside_a_sentence_stay_no_signature():
    m = meta("各县（市、区）人民政府：\n请按某市科学技术局2018年6月19日（第3号）通知要求落实。\n")
    assert m.date_document is None


# --- a signature in relative names (市科技局 市财政局) read in the place the title opens with, listed or not -----------

def test_relative_signers_are_read_in_the_place_the_title_names():
    m = meta("关于印发某县某某办法的通知\n各镇人民政府：\n现将《海盐县某某补助办法》印发给你们，请认真贯彻执行。\n县科技局 县财政局\n2018年6月19日\n")
    assert m.issuers == ["海盐县科学技术局", "海盐县财政局"]
    assert (m.level, m.jurisdiction) == ("county", "海盐县")


def test_relative_signers_without_a_place_stay_as_written():
    m = meta("关于印发某某补助办法的通知\n各镇人民政府：\n现将《某某补助办法》印发给你们，请认真贯彻执行。\n县科技局 县财政局\n2018年6月19日\n")
    assert m.issuers == ["县科技局", "县财政局"] and m.jurisdiction is None


# --- joint signatures glued together: a bank's or a grid company's branch, a trade union, the youth league -----------

@pytest.mark.parametrize("run,want", [
    ("嘉兴市财政局中国人民银行嘉兴市中心支行", ["嘉兴市财政局", "中国人民银行嘉兴市中心支行"]),
    ("嘉兴市发展和改革委员会国网嘉兴供电公司", ["嘉兴市发展和改革委员会", "国网嘉兴供电公司"]),
    ("嘉兴市总工会嘉兴市人力资源和社会保障局", ["嘉兴市总工会", "嘉兴市人力资源和社会保障局"]),
    ("共青团嘉兴市委嘉兴市教育局", ["共青团嘉兴市委", "嘉兴市教育局"]),
    # a body's second name in brackets, a customs office, societies
    ("嘉兴市科学技术局（市知识产权局）嘉兴市财政局", ["嘉兴市科学技术局（市知识产权局）", "嘉兴市财政局"]),
    ("嘉兴海关嘉兴市商务局", ["嘉兴海关", "嘉兴市商务局"]),
    ("嘉兴市红十字会嘉兴市卫生局", ["嘉兴市红十字会", "嘉兴市卫生局"]),
    ("嘉兴市供销合作社联合社嘉兴市农业局", ["嘉兴市供销合作社联合社", "嘉兴市农业局"])])
def test_glued_joint_signatures_split_into_their_bodies(run, want):
    m = meta("各县（市、区）人民政府，市政府各部门：\n现将《某某办法》印发给你们，请认真贯彻执行。\n" + run + "2018年6月19日\n")
    assert m.issuers == want and m.date_document == dt.date(2018, 6, 19)
    assert (m.level, m.jurisdiction) == ("prefectural", "嘉兴市")


def test_a_phrase_opening_like_a_national_name_is_no_body():
    from kg.extract.reflow import is_org_run, split_org_run

    assert not is_org_run("中国特色社会主义现代化建设")
    assert split_org_run("中国共产党嘉兴市委员会") == ["中国共产党嘉兴市委员会"]


def test_a_bracket_inside_one_name_does_not_split_it():
    from kg.extract.reflow import split_org_run

    assert split_org_run("上海久事（集团）有限公司") == ["上海久事（集团）有限公司"]
    assert split_org_run("嘉兴市发展和改革委员会（市物价局）") == ["嘉兴市发展和改革委员会（市物价局）"]


# --- a law database's fields for a regulation (发布部门：, 实施日期：) between its title and its note of adoption -------

def test_a_regulation_under_a_law_database_s_fields_is_dated_by_its_adoption():
    m = meta("某某市某某条例\n发布部门：\n某某市人大常委会\n发布日期：2018-08-01\n实施日期：2018-10-01\n"
             "（2018年6月19日嘉兴市第八届人民代表大会常务委员会第十三次会议通过 2018年7月27日浙江省第十三届人民代表大会常务委员会"
             "第四次会议批准）\n第一章 总则\n第一条 为了规范管理，制定本条例。\n")
    assert m.date_document == dt.date(2018, 6, 19)
    assert m.issuers == ["嘉兴市人民代表大会常务委员会"]


def test_a_department_named_under_a_title_without_a_colon_is_no_field():
    from kg.clean import _FIELD_LINE

    assert _FIELD_LINE.match("发布部门：某某市人大常委会") and not _FIELD_LINE.match("发布部门规章的备案工作")


def test_a_title_and_its_recipients_run_into_a_body_that_opens_any_way():
    for body in ("2017年，我市某某工作取得成效。", "某某工作是一项重要任务。", "市政府决定开展某某工作。"):
        m = meta("某市人民政府关于做好某某工作的通知各县（市、区）人民政府，市政府各部门：" + body + "\n某市人民政府\n2018年6月19日\n")
        assert m.notice_title == "某市人民政府关于做好某某工作的通知", body
        assert m.recipients == ["各县（市、区）人民政府", "市政府各部门"], body


def test_a_line_on_a_subject_or_a_sentence_citing_a_notice_has_no_recipients_colon():
    from kg.extract.reflow import _title_recipients_colon

    assert _title_recipients_colon("关于资金管理：各地要加强管理。") is None
    assert _title_recipients_colon("根据《关于某某的通知》，各地：要求如下。") is None
    assert _title_recipients_colon("某市人民政府关于做好某某工作的通知各县人民政府：2017年，…") is not None


def test_decrees_of_every_kind_signed_by_office_holders():
    m = meta("某某自治区人民政府令\n第100号\n《某某自治区某某管理办法》已经2018年5月2日自治区人民政府第10次常务会议讨论通过，现予公布，"
             "自2018年7月1日起施行。\n代主席  张某某\n2018年5月20日\n某某自治区某某管理办法\n第一条 为了规范管理，制定本办法。\n")
    assert m.issuers == ["某某自治区人民政府"] and m.title == "某某自治区某某管理办法"
    m = meta("国家发展改革委 财政部令\n第10号\n《某某价格管理办法》已经国家发展改革委主任办公会议和财政部部务会议审议通过，现予公布，"
             "自2018年7月1日起施行。\n国家发展改革委主任  张某某\n财政部部长  李某某\n2018年5月20日\n某某价格管理办法\n第一条 为了规范管理。\n")
    assert m.issuers == ["国家发展和改革委员会", "财政部"] and m.doc_number == "国家发展改革委财政部令第10号"
    assert (m.level, m.jurisdiction) == ("national", "全国")
    m = meta("中华人民共和国主席令\n第三十一号\n《中华人民共和国某某法》已由中华人民共和国第十三届全国人民代表大会常务委员会第十次会议"
             "于2019年6月29日通过，现予公布，自2019年12月1日起施行。\n中华人民共和国主席  习近平\n2019年6月29日\n中华人民共和国某某法\n第一章 总则\n")
    assert m.issuers == ["全国人民代表大会常务委员会"] and m.title == "中华人民共和国某某法"
    assert m.doc_number == "中华人民共和国主席令第三十一号" and m.level == "national"
    m = meta("某某部令\n2018年第5号\n《某某管理办法》已经2018年5月2日某某部第10次部务会议审议通过，现予公布。\n部长  张某某\n2018年5月20日\n")
    assert m.doc_number == "某某部令2018年第5号"


def test_an_office_word_inside_a_body_s_or_a_place_s_name_is_no_signer():
    from kg.patterns import pattern

    signer = pattern("signer_office")
    assert signer.match("中华人民共和国主席  习近平") and signer.match("代主席 张某某") and signer.match("嘉兴市市长 张三")
    assert not signer.match("嘉兴市长安镇政府") and not signer.match("嘉兴市人民政府办公室")


# --- a portal's 主送 field under the title -----------------------------------------------------------------------------

def test_a_labelled_recipients_field_is_the_recipients_line():
    m = meta("某市人民政府关于印发某某办法的通知\n主送：各县（市、区）人民政府，市政府各部门\n"
             "现将《某某办法》印发给你们，请认真贯彻执行。\n某市人民政府\n2018年6月19日\n")
    assert m.recipients == ["各县（市、区）人民政府", "市政府各部门"]


def test_an_empty_recipients_field_names_no_recipient():
    m = meta("某市人民政府关于印发某某办法的通知\n主送机关：无\n现将《某某办法》印发给你们，请认真贯彻执行。\n某市人民政府\n2018年6月19日\n")
    assert m.recipients == []


def test_a_recipients_line_in_a_markdown_quote_loses_the_quote_mark_only():
    m = meta("# 国务院关于印发《某某行动方案》的通知\n\n> 国发〔2024〕12号\n\n> 各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n\n"
             "现将《某某行动方案》印发给你们，请认真贯彻执行。\n\n国务院\n\n2024年5月23日\n")
    assert m.recipients == ["各省、自治区、直辖市人民政府", "国务院各部委", "各直属机构"]


# --- a signature glued to the title of the form annexed above it ---------------------------------------------------

def test_a_signature_glued_to_an_annexed_form_s_title_starts_at_the_first_body():
    m = meta("各镇人民政府：\n现将有关事项通知如下。\n附件：仙居县总部经济企业销售回归奖励申请表仙居县经济和信息化局仙居县财政局2018年6月8日\n")
    assert m.issuers == ["仙居县经济和信息化局", "仙居县财政局"]


def test_a_long_body_name_with_its_place_stays_whole():
    from kg.extract.reflow import _name_sized

    assert _name_sized("宁波杭州湾新区开发建设管理委员会") and _name_sized("嘉兴市人民政府国有资产监督管理委员会")
    assert not _name_sized("玉环市总部经济企业销售回归奖励申请表玉环市经济和信息化局")


# --- a body whose name holds a stop word (海洋与渔业局, 对外贸易经济合作局), its signature glued to the date --------------

def test_a_body_named_with_yu_or_duiwai_signs_and_two_bodies_joined_by_yu_do_not():
    from kg.extract.reflow import is_org_run

    head = "各县（市、区）人民政府，市政府各部门：\n现将《某某办法》印发给你们，请认真贯彻执行。\n"
    for run in ("舟山市海洋与渔业局", "嘉兴市对外贸易经济合作局"):
        m = meta(head + run + "2018年6月19日\n")
        assert m.issuers == [run] and m.date_document == dt.date(2018, 6, 19), run
    assert not is_org_run("嘉兴市财政局与嘉兴市税务局") and not is_org_run("区金融办会同区财政局")
