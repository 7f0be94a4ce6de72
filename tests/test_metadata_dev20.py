"""The 公文 layouts of dev 20 (tests/data/dev20) as rules, each on a text written for it, with a negative: pages of
legal-information sites (the title three times around the collector's issuer line, a date alone as the signature,
Chinese-numeral years with O or 0), county portals' field lists, regulations under a page's matter, 公告 numbers,
decrees signed by an office, one-body 主送 lines of a 批复, page headings cut short or with the site or column."""
from __future__ import annotations

import datetime as dt

from kg.clean import should_join
from kg.extract.metadata import parse_date, tidy_title
from kg.pipeline import process_text


def meta(text: str):
    return process_text(text, "x.txt", with_facts=False).meta


# --- dates whose year writes its zero as the letter O or the digit 0 ---------------------------------------------

def test_year_zero_written_as_letter_or_digit():
    assert parse_date("二OO六年二月二十日") == dt.date(2006, 2, 20)
    assert parse_date("二00三年八月十二日") == dt.date(2003, 8, 12)
    assert parse_date("二○○九年七月十六日") == dt.date(2009, 7, 16)
    assert parse_date("OOOO年一月一日") is None  # no year at all


def test_a_date_alone_signs_a_notice_in_chinese_numerals():
    m = meta("某某市人民政府关于印发某某市道路管理规定的通知\n各县、区人民政府，市直各委、办、局：\n"
             "《某某市道路管理规定》已经市人民政府常务会议通过，现印发给你们，请认真遵照执行。\n"
             "二OO六年二月二十日\n某某市道路管理规定\n第一条 为加强道路管理，制定本规定。\n")
    assert m.date_document == dt.date(2006, 2, 20)


# --- the cleaner: bylines, fields, 主送 lines, cut headings and sites ------------------------------------------------

def test_a_page_byline_is_not_joined_to_the_title_under_it():
    assert not should_join("法律资料网 时间:2024-07-03 来源:法律资料网下载地址: 点击此处下载", "关于印发某某管理办法的通知")
    assert should_join("国务院关于印发", "“十四五”数字经济发展规划的通知")  # a title broken after 关于印发 still joins


def test_a_label_alone_takes_its_value_from_the_next_line():
    assert should_join("• 发文字号:", "镇政发〔2024〕7号")
    assert should_join("发文日期：", "2024年04月06日 16:40")
    # an empty field, then the page's title: no value of the field
    assert not should_join("• 内容概述:", "某某县人民政府工作规则")
    assert should_join("标题：", "某某县人民政府工作规则")  # … unless the field is the title's


def test_a_half_width_colon_ends_a_recipients_line():
    assert not should_join("各县市区委、人民政府，市直各单位:", "《关于全面推进政务公开工作的实施意见》已经市委同意，现印发给你们。")


def test_a_one_body_recipients_line_under_an_open_bracket():
    assert not should_join("本作品收录于《国务院公报/2004年/第7号", "甘肃省人民政府:")
    assert should_join("本作品收录于《国务院公报/2004年/", "第7号》")  # an open bracket still joins its own rest


def test_a_cut_heading_is_not_joined_to_the_documents_title():
    assert not should_join("《广东省进一步支持民间投资发展实施", "广东省人民政府办公厅关于印发广东省")
    assert should_join("《广东省进一步支持民间投资发展实施", "方案》解读")  # the rest of the book title: joined


def test_a_title_with_its_site_after_a_space_is_a_line_of_its_own():
    assert not should_join("国务院关于同意某某省撤销某某地区设立地级某某市的批复 中华文库",
                           "国务院关于同意某某省撤销某某地区设立地级某某市的批复 国函〔1998〕60号 |")
    assert tidy_title("国务院关于同意某某省设立某某市的批复 中华文库") == "国务院关于同意某某省设立某某市的批复"
    assert tidy_title("关于加快建设某某网的通知") == "关于加快建设某某网的通知"  # no space: the title's own word


def test_a_pages_column_before_the_title_is_not_the_titles():
    assert tidy_title("政务服务丨某某市人民政府关于持续深化改革的实施意见") == "某某市人民政府关于持续深化改革的实施意见"
    assert tidy_title("某某市人民政府关于“放管服”丨改革的意见") == "某某市人民政府关于“放管服”丨改革的意见"


# --- regulations and decrees under a page's matter ---------------------------------------------------------------

LAW_PAGE = ("您的位置: 首页 » 法律资料网 » 法律法规 »\n某某市立法条例\n作者:法律资料网 时间:2024-07-22 05:37:26\n"
            "某某市立法条例\n颁布日期:2001-6-3\n颁布单位:某某市人民代表大会常务委员会\n"
            "【题注】 (2001年4月29日某某市第十一届人民代表大会第四次会议通过 2001年6月3日某某自治区第九届人民代表大会常务委员会"
            "第二十三次会议批准)\n第一章 总则\n第一条 为了规范立法活动，制定本条例。\n")


def test_a_regulation_under_a_pages_matter_is_dated_and_issued_by_its_adoption():
    m = meta(LAW_PAGE)
    assert m.title == "某某市立法条例"
    assert m.issuers[0].endswith("某某市人民代表大会")  # the congress that adopted it, not the committee that approved
    assert m.date_document == dt.date(2001, 4, 29)


def test_an_adoption_note_under_running_text_is_no_regulations_head():
    m = meta("瑞律网\n当前位置:首页 > 法律法规\n本网整理了各地的法规，欢迎查阅。\n"
             "(2018年12月31日某某市第一届人民代表大会第四次会议通过)\n第一条 为规范立法活动，制定本条例。\n")
    assert m.date_document is None


DECREE_PAGE = ("您的位置: 首页 » 法律资料网 » 法律法规 »\n河北省某某管理规定\n作者:\n法律资料网 时间:2024-07-06 04:34:58\n"
               "河北省某某管理规定\n河北省人民政府\n河北省某某管理规定\n政府令〔2010〕第15号\n"
               "《河北省某某管理规定》已经2010年12月14日省政府第76次常务会议通过，现予公布，自2011年2月1日起施行。\n"
               "省长\n二○一○年十二月二十五日\n河北省某某管理规定\n第一章总则\n第一条为加强管理，制定本规定。\n")


def test_a_decree_signed_by_an_office_takes_the_body_named_between_its_titles():
    m = meta(DECREE_PAGE)
    assert m.issuers == ["河北省人民政府"]
    assert "省长" not in m.issuers
    assert m.doc_number == "政府令〔2010〕15号"
    assert m.date_document == dt.date(2010, 12, 25)
    assert (m.level, m.jurisdiction) == ("provincial", "河北省")


def test_a_body_between_two_different_lines_is_no_issuer():
    m = meta("您的位置: 首页 » 法律资料网 »\n河北省某某管理规定\n河北省人民政府\n另一份文件的标题规定\n"
             "第一条为加强管理，制定本规定。\n")
    assert "河北省人民政府" not in m.issuers


def test_a_bulletin_number_under_its_heading_and_the_adoption_date_under_its_signature():
    m = meta("某某市人民代表大会常务委员会听证条例\n某某市人民代表大会常务委员会公告\n第三十七号\n"
             "某某市第三届人民代表大会常务委员会第十一次会议于2001年10月17日审议通过的《某某市人民代表大会常务委员会听证条例》"
             "业经省人民代表大会常务委员会批准，现予公布，自2002年1月1日起施行。\n"
             "某某市人民代表大会常务委员会\n2001年12月26日\n"
             "(2001年10月17日某某市第三届人民代表大会常务委员会第十一次会议通过\n"
             "2001年12月3日某某省第九届人民代表大会常务委员会第二十九次会议批准)\n第一章 总 则\n第一条 为了规范听证活动，制定本条例。\n")
    assert m.doc_number == "某某市人民代表大会常务委员会公告第三十七号"
    assert m.date_document == dt.date(2001, 10, 17)


def test_a_notice_signed_and_dated_keeps_its_date_without_an_adoption_note():
    m = meta("某某市人民政府关于印发某某办法的通知\n某政〔2009〕34号\n各县（市、区）人民政府：\n"
             "《某某办法》已经2009年7月1日市政府常务会议研究通过，现印发给你们。\n某某市人民政府\n2009年7月16日\n"
             "某某办法\n第一条 为规范管理，制定本办法。\n")
    assert m.date_document == dt.date(2009, 7, 16)


# --- portals' field lists, headings with their 文号, one-body 主送 -------------------------------------------------

def test_a_county_portals_field_list_under_its_chrome():
    m = meta("返回顶部\n某某县人民政府工作规则\n• 索引号:\n6107280000/2024-001005\n• 主题分类:\n• 发文机构:\n县政府网站\n"
             "• 发文字号:\n镇政发〔2024〕7号\n• 发文日期:\n2024年04月06日 16:40\n• 发布日期:\n2024年04月08日 16:34\n"
             "• 内容概述:\n镇巴县人民政府工作规则\n第一章总则\n一、根据有关规定，结合本县实际，制定本规则。\n")
    assert m.doc_number == "镇政发〔2024〕7号"
    assert m.date_document == dt.date(2024, 4, 6)  # 发文日期, not the page's 发布日期
    assert m.title == "镇巴县人民政府工作规则"
    assert (m.level, m.jurisdiction) == ("county", "镇巴县")
    assert "县政府网站" not in m.issuers


def test_a_pages_heading_ending_with_the_number_gives_title_and_number():
    m = meta("归档时间:2018-11-21\n当前位置: 首页 > 政务公开 > 政策法规\n"
             "中共某某市委办公室某某市人民政府办公室印发《关于全面推进政务公开工作的实施意见》的通知(岳办发〔2017〕2号)\n"
             "来源:某某市政府门户网 日期:2017-01-12 17:08 字号:【\n视力保护色:\n浏览量:\n"
             "各县市区委、人民政府,市直各单位,中央、省驻岳单位:\n"
             "《关于全面推进政务公开工作的实施意见》已经市委、市人民政府同意,现印发给你们,请结合实际认真贯彻执行。\n"
             "中共某某市委办公室\n某某市人民政府办公室\n2017年1月10日\n关于全面推进政务公开工作的实施意见\n"
             "一、总体要求\n")
    assert m.doc_number == "岳办发〔2017〕2号"
    assert m.notice_title == "中共某某市委办公室某某市人民政府办公室印发《关于全面推进政务公开工作的实施意见》的通知"
    assert m.recipients[-1].endswith("省驻岳单位")
    assert m.date_document == dt.date(2017, 1, 10)


def test_a_number_in_brackets_on_its_own_line():
    m = meta("江西省某某市人民政府办公室\n关于印发某某实施细则的通知\n( 吉府发〔2003〕37号 )\n市政府各部门,市直各单位:\n"
             "现将《某某实施细则》印发给你们,请遵照执行。\n二OO三年十二月四日\n某某实施细则\n一、总体目标\n")
    assert m.doc_number == "吉府发〔2003〕37号"
    assert m.date_document == dt.date(2003, 12, 4)


def test_a_reply_to_one_body_under_a_librarys_head_lines():
    m = meta("国务院关于同意某某省撤销某某地区设立地级某某市的批复\n国函〔2004〕1号\n中华人民共和国国务院\n2004年1月11日\n"
             "本作品收录于《中华人民共和国国务院公报/2004年/第7号\n收录于\n    甘肃省人民政府:\n"
             "      你省《关于撤销某某地区设立地级某某市的请示》收悉。现批复如下:\n      一、同意撤销某某地区。\n"
             "    中华人民共和国国务院\n    二〇〇四年一月十一日\n")
    assert m.recipients == ["甘肃省人民政府"]
    assert m.doc_number == "国函〔2004〕1号"
    assert m.date_document == dt.date(2004, 1, 11)


def test_a_sentence_ending_in_a_colon_is_no_one_body_recipients_line():
    m = meta("国务院关于同意某某省设立某某市的批复\n国函〔2004〕1号\n经研究，现批复如下:\n一、同意设立某某市。\n"
             "国务院\n2004年1月11日\n")
    assert m.recipients == []


def test_a_recipients_line_glued_to_a_superiors_consent():
    m = meta("论文部分内容阅读\n各市人民政府,省政府各厅委、各直属机构: 经省政府同意,现将《某某规划纲要》印发给你们,请认真贯彻执行。\n")
    assert m.recipients[0] == "各市人民政府"
    # a sentence that merely contains 经 and 同意 after a colon is not cut as a 主送 line
    m = meta("某某市人民政府关于某某事项的通知\n某政〔2020〕1号\n根据工作需要:经济发展的目标已经上级同意。\n某某市人民政府\n2020年1月2日\n")
    assert m.recipients == []
