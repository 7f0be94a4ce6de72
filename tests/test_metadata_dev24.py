"""The 公文 layouts of dev 24 half A (tests/data/dev24, tests/gold_dev24a) as rules, each on a text written for it
(other places and titles than the set's), with a negative: a news page whose snippet leaves a 《 open above the
notice, a joint notice of ministries co-signed by provinces, a 主送 of cities run on one suffix, a title whose first
line is its issuers and the verb, a one-body 主送 under the title given again, a page's date and source above the
title, a sentence without its full stop above the signature, a 公告 whose heading is set over two lines.  Half B of
the set is never tuned on: nothing here is written from it."""
from __future__ import annotations

import datetime as dt

from conftest import meta

from kg.clean import should_join
from kg.extract.layout import _is_recipients_line, _is_signature_name, _looks_like_notice_title, _opens_org_list
from kg.extract.metadata import split_recipients




# --- a news page: its snippet leaves a 《 open, then the lead-in, the notice's own title ---------------------------

NEWS_PAGE = (
    "首页 > 资讯\n某某地区水污染防治攻坚方案\n来源: 网\n"
    "某某地区水污染防治攻坚方案水环境 碧水保卫战水网讯:日前,水网获悉,《某某地区2021-2022年水污染\n\n"
    "水环境 碧水保卫战\n\n水网讯:日前,水网获悉,《某某地区2021-2022年水污染防治攻坚方案》印发。全文如下:\n\n"
    "关于印发《某某地区2021-2022年水污染防治攻坚方案》的通知\n\n"
    "甲市、乙市、丙市人民政府,中国长江三峡集团有限公司:\n\n"
    "现将《某某地区2021-2022年水污染防治攻坚方案》印发给你们,请遵照执行。\n\n"
    "生态环境部 水利部\n\n湖北省人民政府 湖南省人民政府\n\n2021年9月30日\n\n"
    "某某地区2021-2022年水污染防治攻坚方案\n\n一、总体要求\n")


def test_an_open_bracket_in_a_snippet_does_not_glue_the_lead_in_to_the_title():
    lead = "水网讯:日前,水网获悉,《某某地区2021-2022年水污染水环境 碧水保卫战水网讯:日前,《某某方案》印发。全文如下:"
    assert not should_join(lead, "关于印发《某某地区2021-2022年水污染防治攻坚方案》的通知")
    m = meta(NEWS_PAGE)
    assert m.notice_title == "关于印发《某某地区2021-2022年水污染防治攻坚方案》的通知"
    assert m.recipients[-1] == "中国长江三峡集团有限公司"


def test_an_open_bracket_still_joins_what_is_not_a_title():
    # the rest of a sentence, or a title broken inside its 《》, still continues the line
    assert should_join("根据《某某地区2021-2022年水污染", "防治攻坚方案》要求,制定本方案。")
    assert should_join("现将《某某方案》印发。《某某地区2021年", "水污染防治攻坚方案》的通知")


# --- a joint notice of ministries, co-signed by provinces, is national ---------------------------------------------

def test_a_joint_notice_led_by_ministries_keeps_the_national_level():
    m = meta(NEWS_PAGE)
    assert m.issuers[:2] == ["生态环境部", "水利部"] and "湖南省人民政府" in m.issuers
    assert (m.level, m.jurisdiction) == ("national", "全国")


def test_a_provincial_notice_co_signed_by_a_national_office_stays_provincial():
    m = meta("关于印发《江苏省电力需求响应实施细则》的通知\n苏发改能源发〔2021〕1号\n各设区市发展改革委:\n"
             "现将《江苏省电力需求响应实施细则》印发给你们,请遵照执行。\n"
             "江苏省发展和改革委员会 国家能源局江苏监管办公室\n2021年5月8日\n江苏省电力需求响应实施细则\n第一条 为规范需求响应,制定本细则。\n")
    assert (m.level, m.jurisdiction) == ("provincial", "江苏省")


# --- a 主送 of cities run on one suffix: each city its own place ---------------------------------------------------

def test_cities_run_on_one_suffix_each_keep_their_own_name():
    assert split_recipients("南京、无锡、徐州市人民政府,中国石油化工集团有限公司") == [
        "南京市人民政府", "无锡市人民政府", "徐州市人民政府", "中国石油化工集团有限公司"]


def test_a_place_still_distributes_over_departments():
    assert split_recipients("上海市交通委、发展改革委、财政局") == ["上海市交通委", "上海市发展改革委", "上海市财政局"]


# --- the issuers and the verb on the line above 关于…: the title's first line --------------------------------------

def test_issuers_and_verb_above_the_title_are_its_first_line():
    m = meta("某政发〔2024〕9号\n甲市人民政府 甲市人民检察院印发\n关于建立行政执法与检察监督衔接机制的意见的通知\n"
             "各县(区)人民政府、检察院,市政府各部门:\n《关于建立行政执法与检察监督衔接机制的意见》已经市政府常务会议审议通过,现印发给你们,请认真贯彻执行。\n"
             "甲市人民政府 甲市人民检察院\n2024年3月1日\n")
    assert m.notice_title == "甲市人民政府 甲市人民检察院印发关于建立行政执法与检察监督衔接机制的意见的通知"


def test_a_sentence_ending_in_the_verb_above_the_title_is_not_its_first_line():
    m = meta("某政发〔2024〕9号\n经市政府同意印发\n关于建立行政执法与检察监督衔接机制的意见的通知\n"
             "各县(区)人民政府,市政府各部门:\n现将有关意见印发给你们,请认真贯彻执行。\n甲市人民政府\n2024年3月1日\n")
    assert not m.notice_title.startswith("经市政府同意")


# --- a one-body 主送 right under the title given again ---------------------------------------------------------------

MOTION_PAGE = ("您当前的位置:首页 > 政务公开 > 议案提案\n关于提请审议设立某某街道办事处的议案\n发布时间:\n"
               "2020-03-02 10:15来源:\n【字体: 打印\n  甲府议[2020]2号\n  关于提请审议设立某某街道办事处的议案\n"
               "{addressee}\n  经区委常委会议研究同意,现提请审议。\n  甲区人民政府\n  二0二0年三月一日\n")


def test_a_one_body_addressee_under_the_title_given_again():
    assert meta(MOTION_PAGE.format(addressee="区人大常委会:")).recipients == ["区人大常委会"]


def test_a_long_line_with_a_colon_under_the_title_is_no_addressee():
    m = meta(MOTION_PAGE.format(addressee="经区委常委会议和区政府常务会议研究,现将有关情况报告如下:"))
    assert m.recipients == []


# --- a page's date and source above the title; a sentence without its full stop above the signature -------------

def test_a_page_date_and_source_line_is_not_an_addressee():
    assert not _is_recipients_line("2019-12-21 来源:某区司法局 字体大小:")
    assert _is_recipients_line("各社区、办,水利所:")


def test_a_sentence_with_half_width_commas_is_no_signer():
    assert not _is_signature_name("《某街道总体应急预案》已修订,并经办事处工委同意,现印发给你们,请认真遵照执行")
    assert _is_signature_name("长沙市某区某某街道办事处")


def test_subdistrict_notice_under_a_page_byline():
    m = meta("某区某某街道办事处关于印发 《某某街道突发事件总体应急预案》的通知\n\n发布时间:\n\n2019-12-21 来源:某区司法局 字体大小:\n\n"
             "某政发〔2017〕  号\n\n某区某某街道办事处关于印发\n\n《某某街道突发事件总体应急预案》的通知\n\n各社区、办,水利所:\n\n"
             "《某某街道突发事件总体应急预案》已修订,并经办事处工委同意,现印发给你们,请认真遵照执行\n\n"
             "             某区某某街道办事处\n\n               2017年3月20日\n\n某某街道突发事件总体应急预案\n\n1  总则\n")
    assert m.issuers == ["某区某某街道办事处"]
    assert m.recipients == ["各社区、办", "水利所"]


# --- a 公告 whose heading is set over two lines -------------------------------------------------------------------

ANNOUNCEMENT = ("3月2日,县人大常委会举行第十次会议。\n会议审议通过了关于召开县第三次人民代表大会的决定。\n"
                "竹山县人民代表大会常务委员会\n公 告\n{number}(2022年3月2日县人大常委会第十次会议通过)\n"
                "县人大常委会第十次会议决定:竹山县第三届人民代表大会第二次会议于2022年3月20日召开。\n特此公告。\n"
                "竹山县人民代表大会常务委员会\n2022年3月2日\n")


def test_an_announcement_heading_over_two_lines_gives_title_and_number():
    m = meta(ANNOUNCEMENT.format(number="〔2022〕第1号\n"))
    assert m.title == "竹山县人民代表大会常务委员会公告"
    assert m.doc_number.endswith("〔2022〕第1号")
    assert m.date_document == dt.date(2022, 3, 2)


def test_an_announcement_word_without_a_number_gives_no_doc_number():
    m = meta(ANNOUNCEMENT.format(number=""))
    assert m.doc_number is None


# --- a town's portal runs the whole notice into one paragraph; an 应急预案 follows the signature ------------------

RUN_ON = ("索引号 | 001008003001099/2021-10001 | ||\n组配分类 | 部门文件 | 发布机构 | 藤桥镇 |\n文号 | 鹿藤政〔2021〕5号 |\n"
          "各科室,各站所,各村: 为提高政府处置突发公共事件的能力,经研究,制定《藤桥镇{title}》,现印发给你们,请认真执行。 "
          "附件:藤桥镇{title} 温州市鹿城区藤桥镇人民政府 2021年3月5日 藤桥镇{title} 1.总则 1.1目的依据 为提高保障公共安全的能力,制定本预案。\n")


def test_a_signature_run_into_a_paragraph_before_an_emergency_plan():
    m = meta(RUN_ON.format(title="突发公共事件总体应急预案(修订)"))
    assert m.issuers == ["温州市鹿城区藤桥镇人民政府"]
    assert m.date_document == dt.date(2021, 3, 5)
    assert m.recipients == ["各科室", "各站所", "各村"]  # (the table's | before the 主送 line dropped)


def test_a_run_on_signature_before_what_is_no_title_is_not_cut():
    m = meta(RUN_ON.format(title="防汛工作安排"))
    assert m.date_document is None


# --- a forwarding notice (转发…的通知, no 关于) under a page's field rows, signed by its date alone -------------------

FORWARDING_PAGE = ("索引号 001008003004099/2012-100001 主题分类 综合类\n文号 乐政办〔2012〕88号 发布机构 市政府办公室\n"
                   "成文日期 2012-06-01 有效性\n乐政办(2012)88号 转发温州市行政执法案卷评查办法的通知\n"
                   "发布日期: 2012- 06- 01 10: 20: 15 浏览次数: 来源: 普望科技\n\n乐政办〔2012〕88号\n\n乐清市人民政府办公室\n\n"
                   "转发温州市行政执法案卷\n\n评查办法的通知\n\n市政府直属各单位:\n\n"
                   "现将温州市人民政府办公室《温州市行政执法案卷评查办法》转发给你们,请认真贯彻执行。\n\n{gap}"
                   "                              二○一二年五月二十日\n\n温州市行政执法案卷评查办法\n\n"
                   "第一条 为规范行政执法案卷评查工作,制定本办法。\n")


def test_a_forwarding_notice_under_a_page_field_rows():
    m = meta(FORWARDING_PAGE.format(gap=""))
    assert m.notice_title == "乐清市人民政府办公室转发温州市行政执法案卷评查办法的通知"
    assert m.issuers == ["乐清市人民政府办公室"]
    assert (m.level, m.jurisdiction) == ("county", "乐清市")
    assert m.recipients == ["市政府直属各单位"]
    assert m.date_document == dt.date(2012, 5, 20)  # the date alone under the notice's sentence, not the page's


def test_a_date_alone_far_below_the_addressee_does_not_sign():
    m = meta(FORWARDING_PAGE.format(gap="一、各单位要按照办法开展评查\n\n二、评查结果纳入考核\n\n三、本通知自印发之日起施行\n\n"))
    assert m.date_document != dt.date(2012, 5, 20)


def test_forwarding_titles_and_a_governments_bodies_as_recipients():
    assert should_join("转发温州市行政执法案卷", "评查办法的通知")
    assert not should_join("转发给你们,请认真执行", "评查办法的通知")
    assert _looks_like_notice_title("乐清市人民政府办公室转发温州市行政执法案卷评查办法的通知")
    assert not _looks_like_notice_title("转发温州市行政执法案卷评查办法")  # (no 通知 at its end: no title)
    assert _opens_org_list("市政府直属各单位:") and _opens_org_list("区政府各部门:")
    assert not _opens_org_list("市政府研究决定:")
