"""The 公文 layouts of dev 33 half A (tests/data/dev33, tests/gold_dev33a) as rules, each on a text written for it
(other places and titles than the set's), with a negative.  Half B (tests/gold_dev33b) is blind: nothing here comes
from it."""
from __future__ import annotations

import datetime as dt

from conftest import meta

from kg.clean import should_join
from kg.extract.metadata import split_recipients


# --- a notice issuing several documents, one 《》 title a line: the title goes on --------------------------------------

def test_a_title_listing_documents_one_a_line_is_one_title():
    m = meta("某省民政厅 某省教育厅\n关于印发 《某省助学资金管理办法》\n《某省助学资金绩效评价办法》\n"
             "《某省助学资金监督检查办法》的通知\n某民规〔2021〕4号\n各市州民政局、教育局:\n"
             "现将三个办法印发你们,请遵照执行。\n某省民政厅\n某省教育厅\n2021年3月2日\n")
    assert m.notice_title == ("某省民政厅 某省教育厅关于印发《某省助学资金管理办法》《某省助学资金绩效评价办法》"
                              "《某省助学资金监督检查办法》的通知")
    assert m.doc_number == "某民规〔2021〕4号"


def test_a_title_ending_in_a_documents_name_does_not_take_the_next_line():
    # a whole title line that names its document in 《》 without the frame left open: the next 《》 line is no part of it
    assert not should_join("关于《某省助学资金管理办法》", "《某省助学资金绩效评价办法》的解读")
    assert not should_join("某省助学资金管理办法", "《某省助学资金绩效评价办法》")
    assert should_join("关于印发《某省助学资金管理办法》、", "《某省助学资金绩效评价办法》的通知")


# --- a 主送 class whose opener and places distribute over bare departments ------------------------------------------

def test_a_class_over_bare_departments_is_one_recipient():
    assert split_recipients("各县市区财政局、教育局,各有关单位") == ["各县市区财政局、教育局", "各有关单位"]


def test_bodies_of_their_own_after_a_class_are_still_split():
    assert split_recipients("各区人民政府、市政府各部门") == ["各区人民政府", "市政府各部门"]
    assert split_recipients("各乡镇人民政府、街道办事处") == ["各乡镇人民政府", "街道办事处"]


# --- a collector's page title with a tag over the notice's own title; the plan's revision note stays the plan's --------

def test_a_collectors_tag_after_the_page_title_is_no_part_of_the_title():
    m = meta("法规数据库 > 正文\n下载\n\n某市人民政府关于印发《某市人民政府议事规则》的通知(2020修订)\n\n"
             "某市人民政府关于印发《某市人民政府议事规则》的通知\n\n各县(区)人民政府,市政府各部门:\n"
             "新修订的《某市人民政府议事规则》已经市政府常务会议通过,现印发给你们。\n某市人民政府\n2020年5月6日\n\n"
             "某市人民政府议事规则(2020年5月修订)\n\n一、为规范议事,制定本规则。\n")
    assert m.notice_title == "某市人民政府关于印发《某市人民政府议事规则》的通知"


def test_a_title_whose_own_words_end_in_brackets_keeps_them():
    m = meta("某市人民政府关于印发《某市人民政府议事规则》的通知(试行)\n各县(区)人民政府:\n"
             "现将《某市人民政府议事规则》印发给你们。\n某市人民政府\n2020年5月6日\n某市人民政府议事规则\n一、为规范议事,制定本规则。\n")
    assert m.notice_title == "某市人民政府关于印发《某市人民政府议事规则》的通知(试行)"  # one rendering: kept


# --- a decree's number alone over its promulgating sentence; an office holder's title spaced out with his name ---------

def test_a_decrees_number_alone_over_its_promulgation_and_a_spaced_out_governor():
    m = meta("某省人民政府关于废止部分政府规章的决定\n• 时间:\n2020-01-05\n• 来源:省政府办公厅\n第88号\n"
             "《某省人民政府关于废止部分政府规章的决定》已经2019年12月20日省政府第30次常务会议审议通过,现予公布。\n"
             "省  长  张某某\n2019年12月28日\n某省人民政府关于废止部分政府规章的决定\n根据有关规定,决定废止下列规章:\n")
    assert m.doc_number == "第88号"
    assert m.issuers == ["某省人民政府"]  # (the governor signs; his name is no body)
    assert m.recipients == []  # (• 时间: is a page's byline, no 主送 line)
    assert m.date_document == dt.date(2019, 12, 28)


def test_a_numbered_line_over_a_sentence_that_adopts_nothing_is_no_decree_number():
    m = meta("某县人民政府关于开展安全检查的通知\n各乡镇人民政府:\n第2号\n《某县安全检查方案》请各单位认真执行。\n"
             "某县人民政府\n2020年3月1日\n")
    assert m.doc_number is None


# --- a 文号 whose year and serial a copy dropped, a signature date without its year ------------------------------------

def test_an_emptied_doc_number_and_a_yearless_date_still_frame_the_head_and_the_signature():
    m = meta("某省教育厅等3部门\n关于印发某省研学基地名单的通知\n某教基〔〕号\n各市(州)教育局,省直有关单位:\n"
             "现将名单印发给你们,请认真做好有关工作。\n某省教育厅\n某省文化和旅游厅\n某省财政厅\n年6月30日\n附件\n某省研学基地名单\n")
    assert m.doc_number is None  # (no year, no serial: no 文号 to give)
    assert m.recipients == ["各市(州)教育局", "省直有关单位"]
    assert m.issuers == ["某省教育厅", "某省文化和旅游厅", "某省财政厅"]
    assert m.date_document is None


def test_a_month_and_day_inside_a_sentence_is_no_signature_date():
    from kg.patterns import pattern

    line = pattern("date_line")
    assert line.match("年12月31日") and line.match("2020年12月31日")
    assert not line.match("12月31日前完成") and not line.match("每年12月31日")
    assert not pattern("doc_number_emptied").fullmatch("某教基〔2021〕3号")


# --- a news page's headline under its site's name: a 通告 without 主送 --------------------------------------------------

def test_a_headline_under_a_sites_name_is_the_title():
    m = meta("某某新闻网\n某某新闻网\n关于征集2025年某市民生实事项目建议的通告\n2024年08月01日 | 来源:某某日报\n"
             "为做好民生实事工作,现将有关事项通告如下:\n一、征集时间:即日起至9月1日。\n中共某市委办公室\n某市人民政府办公室\n"
             "2024年7月30日\n")
    assert m.notice_title == "关于征集2025年某市民生实事项目建议的通告"
    assert m.issuers == ["中共某市委办公室", "某市人民政府办公室"]


def test_a_sentence_over_a_title_like_line_is_no_sites_name():
    m = meta("今天我们来读一份文件。\n关于征集2025年某市民生实事项目建议的通告\n为做好民生实事工作,现通告如下:\n")
    assert m.notice_title != "关于征集2025年某市民生实事项目建议的通告"


# --- the mark of a name a copy left out ((略)) is no issuer ---------------------------------------------------------------

def test_an_elided_name_in_the_signature_is_no_issuer():
    m = meta("某政办〔2022〕5号\n各县人民政府,市政府各部门:\n《某市防汛方案》已经 (略) 政府常务会议审议通过,现印发给你们。\n"
             "(略) 人民政府办公厅\n2022年5月6日\n")
    assert "(略)" not in m.issuers and not any("略" in n for n in m.issuers)


def test_a_name_with_the_word_in_it_is_kept():
    m = meta("关于做好战略储备工作的通知\n各县人民政府:\n现将有关事项通知如下。\n某市战略物资储备局\n2022年5月6日\n")
    assert m.issuers == ["某市战略物资储备局"]


# --- a notice that begins at its 主送 and issues a plan it says was approved (已经…审议通过，现予印发) ---------------------

def test_a_plan_approved_then_issued_is_the_plan_the_notice_issues():
    m = meta("各旗县人民政府,盟直各部门:\n《某某盟行政公署工作规则》已经盟行政公署审议通过,现予印发。\n2023年4月5日\n"
             "(此件公开发布)\n某某盟行政公署工作规则\n第一章 总则\n一、为规范工作,制定本规则。\n")
    assert m.title == "某某盟行政公署工作规则"
    assert m.recipients == ["各旗县人民政府", "盟直各部门"]


def test_a_plan_named_in_a_sentence_that_issues_nothing_is_no_plan_title():
    m = meta("各旗县人民政府,盟直各部门:\n《某某盟行政公署工作规则》已经盟行政公署审议通过,各单位要认真学习。\n2023年4月5日\n"
             "某某盟行政公署工作规则\n第一章 总则\n")
    assert m.title != "某某盟行政公署工作规则"
    from kg.extract.layout import _ISSUES_IN_BODY

    assert not _ISSUES_IN_BODY.search("《某某盟行政公署工作规则》已经盟行政公署审议通过,各单位要认真学习。")


# --- layouts the brief names, probed on texts written for them (no set's error): a title's last words on a line of their
# own, a 主送 list set over several lines ---------------------------------------------------------------------------------

def test_a_titles_last_words_alone_on_the_next_line_end_the_title():
    m = meta("某市人民政府关于印发某市节能减排实施方案\n的通知\n某政发〔2020〕3号\n各区人民政府,市政府各部门:\n"
             "现将方案印发给你们。\n某市人民政府\n2020年3月1日\n")
    assert m.notice_title == "某市人民政府关于印发某市节能减排实施方案的通知"


def test_a_sentence_then_a_line_beginning_with_de_is_not_joined_as_a_title():
    assert not should_join("现将有关事项通知如下。", "的通知")
    assert not should_join("各区人民政府,市政府各部门:", "的通知")


def test_a_recipients_list_over_several_lines_is_one_list():
    m = meta("某省人民政府办公厅关于做好某某工作的通知\n各市、州人民政府，\n省政府各部门、各直属机构，\n各有关单位：\n"
             "现就有关事项通知如下。\n某省人民政府办公厅\n2020年3月1日\n")
    assert m.recipients[0] == "各市、州人民政府" and m.recipients[-1] == "各有关单位" and len(m.recipients) >= 3


def test_a_sentence_ending_in_a_comma_is_no_recipients_line_going_on():
    assert not should_join("各地区、各部门要高度重视，", "各单位：")  # (no body's name before the comma)
    assert not should_join("要求各县落实到县财政局，", "各乡镇财政所：")  # (a sentence, not a list that opens with 各)


def test_a_title_without_guanyu_broken_after_its_verb_is_one_title():
    m = meta("成都市人民政府办公厅印发\n成都市河长制工作规则的通知\n各区(市)县政府,市政府各部门:\n现将规则印发给你们。\n"
             "成都市人民政府办公厅\n2021年3月3日\n")
    assert m.notice_title == "成都市人民政府办公厅印发成都市河长制工作规则的通知"
    assert m.issuers == ["成都市人民政府办公厅"]


def test_a_sentence_opening_with_a_lead_in_is_no_title_without_guanyu():
    from kg.extract.layout import _issuer_notice

    assert not _issuer_notice("根据市人民政府办公厅印发某某工作方案的通知")
    assert _issuer_notice("成都市人民政府办公厅印发成都市河长制工作规则的通知")


def test_recipients_that_do_not_open_with_ge_go_on_over_lines_too():
    m = meta("四川省财政厅关于做好某某工作的通知\n省直有关部门，各市财政局，\n各县（市、区）财政局：\n现就有关事项通知如下。\n"
             "四川省财政厅\n2021年3月3日\n")
    assert m.recipients == ["省直有关部门", "各市财政局", "各县（市、区）财政局"]
