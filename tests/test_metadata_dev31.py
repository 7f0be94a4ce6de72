"""The 公文 layouts of dev 31 half A (tests/data/dev31, tests/gold_dev31a) as rules, each on a text written for it
(other places and titles than the set's), with a negative.  Half B (tests/gold_dev31b) is blind: nothing here comes
from it."""
from __future__ import annotations

import datetime as dt

from conftest import meta

from kg.clean import to_simplified


# --- a converter's reading in brackets after a character (發(fā), 關(guān)于): no part of the text ----------------------

def test_a_converters_readings_are_dropped_before_the_head_is_read():
    m = meta("某府辦發(fā)〔2015〕9號《某市人民政府辦公廳關(guān)于印發(fā)〈某市專(zhuān)項資金管理辦法〉的通知》\n"
             "瀏覽量:\n"
             "《某市人民政府辦公廳關(guān)于印發(fā)〈某市專(zhuān)項資金管理辦法〉的通知》\n"
             "某府辦發(fā)〔2015〕9號\n"
             "各縣(qū)人民政府,市政府各部門(mén):\n"
             "《某市專(zhuān)項資金管理辦法》已經(jīng)市政府同意,現印發(fā)給你們,請遵照執行。\n"
             "長沙市人民政府辦公廳\n2015年3月2日\n某市專(zhuān)項資金管理辦法\n第一條 為規範資金管理,制定本辦法。\n")
    assert m.notice_title == "某市人民政府办公厅关于印发〈某市专项资金管理办法〉的通知"
    assert m.doc_number == "某府办发〔2015〕9号"
    assert m.issuers == ["长沙市人民政府办公厅"] and m.date_document == dt.date(2015, 3, 2)
    assert m.recipients == ["各县人民政府", "市政府各部门"]


def test_a_single_bracketed_reading_is_kept_and_latin_in_brackets_is_no_reading():
    m = meta("关于开展“行(xíng)动”宣传周的通知\n各有关单位:\n现就有关事项通知如下。\n某某局\n2020年1月2日\n")
    assert m.notice_title == "关于开展“行(xíng)动”宣传周的通知"  # one alone may be the text's own note
    m = meta("关于推广应用(app)和平台(web)的通知\n各有关单位:\n现就有关事项通知如下。\n某某局\n2020年1月2日\n")
    assert m.notice_title == "关于推广应用(app)和平台(web)的通知"  # no tone mark: not a reading
    assert to_simplified("國務(wù)院辦公廳") == "国务院办公厅"


# --- a page's row of links or a paper's page navigation over the title: page matter, a line of its own -----------------

def test_a_row_of_links_over_the_title_is_not_the_titles_first_line():
    m = meta("站点导航| 法规库 | 案例库 | 论坛\n加入收藏| 设为首页| 首页\n\n关于印发某县河道保洁办法的通知\n"
             "某县人民政府办公室\n某政办发[2010]8号\n关于印发某县河道保洁办法的通知\n"
             "各乡镇人民政府,县直有关单位:\n某县河道保洁办法已经县政府同意,现印发你们,请认真执行。\n"
             "二〇一〇年五月六日\n某县河道保洁办法\n第一条 为加强河道保洁,制定本办法。\n")
    assert m.notice_title == "关于印发某县河道保洁办法的通知"
    assert m.doc_number == "某政办发〔2010〕8号"  # the 文号 between the collector's issuer line and the title once more
    assert m.issuers == ["某县人民政府办公室"] and m.date_document == dt.date(2010, 5, 6)
    assert m.recipients == ["各乡镇人民政府", "县直有关单位"]


def test_a_papers_page_navigation_is_not_the_titles_first_line():
    m = meta("«上一版     本期共8版, 当前第2版 PDF\n某某县人民政府关于表彰先进集体的决定\n"
             "各乡镇人民政府,县直各部门:\n现决定如下。\n某某县人民政府\n2016年3月1日\n")
    assert m.notice_title == "某某县人民政府关于表彰先进集体的决定"


def test_a_field_tables_row_of_cells_is_no_row_of_links():
    from kg.patterns import pattern

    nav = pattern("page_nav_line")
    assert nav.search("收藏本站| 设为首页| 首页") and nav.search("«上一版 本期共4版, 当前第4版 PDF")
    assert not nav.search("组配分类 | 部门文件 | 发布机构 | 山福镇 |")  # a field table's row ends with a bar
    assert not nav.search("生成日期 | 2020-10-22 | 公开方式 | 主动公开")  # … and may hold digits


# --- a people's congress session: its resolution is the congress's; its presidium's 公告 and signature -----------------

def test_a_resolution_of_a_congress_session_is_the_congress_s():
    m = meta("某某县第九届人民代表大会第三次会议关于县人民政府工作报告的决议\n"
             "(2019年1月20日某某县第九届人民代表大会第三次会议通过)\n会议同意这个报告。\n")
    assert m.issuers == ["某某县人民代表大会"] and m.date_document == dt.date(2019, 1, 20)
    m = meta("某某县人民代表大会常务委员会关于设立某某日的决定\n(2019年1月20日某某县第九届人民代表大会常务委员会第十次会议通过)\n"
             "为了弘扬传统文化，作如下决定。\n")
    assert m.issuers == ["某某县人民代表大会常务委员会"]  # a standing committee's own name stays as it is


def test_a_session_presidiums_announcement_gives_title_number_and_signer():
    m = meta("某某县第九届人民代表大会第三次会议\n公 告\n(第2号)\n"
             "2019年1月20日,某某县第九届人民代表大会第三次会议选举产生了县人民政府县长。\n"
             "某某县第九届人民代表大会\n第三次会议主席团\n2019年1月20日\n")
    assert m.title == "某某县第九届人民代表大会第三次会议公告"
    assert m.doc_number == "某某县第九届人民代表大会第三次会议公告第2号"
    assert m.issuers == ["某某县第九届人民代表大会第三次会议主席团"]  # the presidium over two lines, one body
    assert m.date_document == dt.date(2019, 1, 20)


# --- a portal's field rows whose colons the page left out ---------------------------------------------------------------

def test_field_rows_without_colons_are_header_fields_not_the_title():
    m = meta("当前位置:首页 > 政务公开 > 自治区文件\n索 引 号 主题分类 综合政务\n发布机构 某自治区人民政府 文  号 某政发〔2016〕8号\n"
             "成文日期 2016-03-04\n某自治区人民政府关于印发《某自治区节水行动方案》的通知\n发布日期:2016-03-05 10:12\n"
             "各盟行政公署、市人民政府,自治区各委、办、厅、局:\n现将《某自治区节水行动方案》印发给你们,请认真贯彻执行。\n"
             "2016年3月4日\n某自治区节水行动方案\n一、总体要求\n")
    assert m.notice_title == "某自治区人民政府关于印发《某自治区节水行动方案》的通知"
    assert m.doc_number == "某政发〔2016〕8号" and m.header.get("发布机构") == "某自治区人民政府"
    assert m.date_document == dt.date(2016, 3, 4)


def test_a_sentence_that_opens_with_a_label_word_is_no_field_row():
    from kg.clean import BARE_FIELD_ROW

    assert BARE_FIELD_ROW.match("发布机构 某自治区人民政府 文  号 某政发〔2016〕8号") and BARE_FIELD_ROW.match("成文日期 2016-03-04")
    assert not BARE_FIELD_ROW.match("来源 广泛的意见建议已经汇总,现予公布。")  # one label, no second one, no date
    assert not BARE_FIELD_ROW.match("成文日期 以签发日期为准")
    assert not BARE_FIELD_ROW.match("索引号 | 0010/2021-1 | ||组配分类 | 部门文件 | 发布机构 | 某镇 |")  # a table's row


# --- a legal-information page: a byline's label alone on its line; a joint issuer line listed with 、 --------------------

def test_a_byline_label_alone_is_no_recipients_line():
    m = meta("您的位置: 首页 » 资料网 » 法规 »\n某某部关于做好冬季安全生产工作的通知\n时间:\n"
             "2023-05-01 10:20:30 来源: 资料网 作者:资料网\n某某部关于做好冬季安全生产工作的通知\n某某部\n"
             "某某部关于做好冬季安全生产工作的通知\n各省、自治区、直辖市应急管理厅(局):\n现就有关事项通知如下。\n")
    assert m.recipients == ["各省、自治区、直辖市应急管理厅(局)"]
    from kg.extract.layout import _is_recipients_line

    assert not _is_recipients_line("时间:", "2023-05-01 10:20:30 来源: 资料网")
    assert _is_recipients_line("各有关单位:", "2023-05-01 起施行的办法如下")  # a 主送 line stays one, whatever follows


def test_a_collectors_issuer_line_may_list_the_bodies_with_dunhao():
    m = meta("关于调整某某补助标准的通知\n时间:\n2023-05-01 10:20:30 来源: 资料网\n关于调整某某补助标准的通知\n"
             "财政部、民政部\n关于调整某某补助标准的通知\n财政部、民政部\n现将有关事项通知如下。\n一、提高补助标准。\n")
    assert m.issuers == ["财政部", "民政部"] and (m.level, m.jurisdiction) == ("national", "全国")
    m = meta("关于调整某某补助标准的通知\n财政、民政等部门\n关于调整某某补助标准的通知\n现将有关事项通知如下。\n")
    assert m.issuers != ["财政", "民政等部门"]  # a class of departments is no issuer line


# --- a regulation's note of adoption run into its first chapter's heading ----------------------------------------------

def test_an_adoption_note_glued_to_the_first_chapter_still_dates_and_signs_the_regulation():
    m = meta("- 【发布日期】2001-05-06\n某省实施《某某法》办法\n(2001年5月6日某省第九届人民代表大会常务委员会第二十次会议通过)第一章 总则\n"
             "第一条 根据《某某法》,结合本省实际,制定本办法。\n")
    assert m.title == "某省实施《某某法》办法"
    assert m.date_document == dt.date(2001, 5, 6) and m.issuers == ["某省人民代表大会常务委员会"]
    m = meta("某省实施《某某法》办法\n第一章 总则\n第一条 本办法自2001年5月6日(公布之日)起施行。第二章 管理\n")
    assert m.date_document is None  # no note of adoption: nothing dates it


# --- a local people's congress's standing committee and its offices, named short -------------------------------------

def test_a_congress_offices_short_name_signs_in_full():
    m = meta("关于《某某条例(草案)》公开征求意见的公告\n现将草案向社会公开征求意见。意见请于11月23日前寄送。\n"
             "宁波市人大常委会办公厅\n2019年11月12日\n")
    assert m.issuers == ["宁波市人民代表大会常务委员会办公厅"] and (m.level, m.jurisdiction) == ("prefectural", "宁波市")
    from kg.gazetteer import default_gazetteer

    assert default_gazetteer().resolve("慈溪市人大常委会").name == "慈溪市人民代表大会常务委员会"
    assert default_gazetteer().resolve("人大代表") is None  # a deputy is no body


# --- an autonomous prefecture written short (湘西州, 恩施自治州); a relative signature placed by the page's issuer line ----

def test_an_autonomous_prefecture_is_known_by_its_short_forms():
    from kg.divisions import place_at_start

    assert place_at_start("恩施州人民政府").name == "恩施土家族苗族自治州"
    assert place_at_start("黔东南州财政局").name == "黔东南苗族侗族自治州"  # the place is 黔东南, not 黔东
    assert place_at_start("湘西自治州人大常委会").name == "湘西土家族苗族自治州"
    assert place_at_start("州人大常委会") is None
    assert place_at_start("海南电网有限责任公司").name == "海南省"  # 海南 stays the province's; the prefecture is 海南州
    assert place_at_start("海南州人民政府").name == "海南藏族自治州"


def test_a_relative_signature_takes_the_place_of_the_pages_issuer_line():
    m = meta("关于《某某条例》(草案)公开征求意见的通知\n发布时间:2022年3月1日\n恩施州人大常委会法工委\n"
             "为了提高立法质量,现将草案予以公布,欢迎提出意见。\n州人大常委会法工委\n2022年3月1日\n")
    assert m.issuers == ["恩施土家族苗族自治州人民代表大会常务委员会法制工作委员会"]
    assert (m.level, m.jurisdiction) == ("prefectural", "恩施土家族苗族自治州")
    m = meta("关于《某某条例》(草案)公开征求意见的通知\n为了提高立法质量,现将草案予以公布。\n州人大常委会法工委\n2022年3月1日\n")
    assert m.issuers == ["州人大常委会法工委"]  # no line names its place: the name as signed


# --- a 主送 class written for several places with the places' kind and its alternative (省(市)) -----------------------

def test_places_run_on_one_class_with_an_alternative_kind_stay_one_item():
    from kg.extract.metadata import split_recipients

    assert split_recipients("北京、天津、河北省(市)民(宗)委,委机关各部门") == ["北京、天津、河北省(市)民(宗)委", "委机关各部门"]
    # without the alternative each place takes the class's body (郑州、平顶山市发展改革委 → 郑州市…, 平顶山市…)
    assert split_recipients("郑州、平顶山市发展改革委") == ["郑州市发展改革委", "平顶山市发展改革委"]


# --- a breadcrumb that says 您当前的位置; a byline's empty field (作者:) over its next field ------------------------------

def test_a_breadcrumb_and_an_empty_byline_field_are_page_matter():
    m = meta("您当前的位置: 首页 > 通知公告 >\n关于《某某条例(草案)》公开征求意见的公告\n作者:\n发布时间:2021年5月6日 来源:\n"
             "为提高立法质量,现公开征求意见。\n某某市人大常委会办公厅\n2021年5月6日\n")
    assert m.title == "关于《某某条例(草案)》公开征求意见的公告"
    assert m.recipients == []  # 作者: is no 主送 line
    from kg.extract.layout import _is_recipients_line

    assert _is_recipients_line("作者:", "为提高立法质量,现公开征求意见。")  # (what follows decides: no byline field below)
