"""Reading decided items out of minutes text: deadlines, units, leaders, 未列入交办."""

from __future__ import annotations

import datetime as dt

from ledger_tools.core.minutes import Paragraph, read_minutes
from ledger_tools.core.model import ItemKind, SourceType, Unit

ISSUED = dt.date(2026, 11, 18)
UNITS = [
    Unit("东城区人民政府", ["东城区", "东城区政府"], section="综合一科"),
    Unit("高新技术产业开发区管委会", ["高新区", "高新区管委会"], section="经济科"),
    Unit("市发展和改革委员会", ["市发改委"], section="经济科"),
    Unit("市财政局", [], section="经济科"),
    Unit("市自然资源和规划局", ["市自然资源局", "市自规局"], section="城建科"),
    Unit("市交通运输局", ["市交通局"], section="城建科"),
    Unit("市卫生健康委员会", ["市卫健委"], section="社会科"),
    Unit("青河市人民政府", ["青河市"], section="综合二科"),
    Unit("西山县人民政府", ["西山县"], section="综合一科"),
    Unit("市教育体育局（市体育局）", ["市教体局"], section="社会科"),
]


def _doc(*lines: str) -> list[Paragraph]:
    return [Paragraph(t) for t in lines]


HEAD = (
    "市人民政府2026年第13次常务会议纪要",
    "市人民政府办公室 2026年11月18日",
    "2026年11月16日，市长王明主持召开市人民政府2026年第13次常务会议。现纪要如下：",
)


def test_items_field_by_field():
    reading = read_minutes(
        _doc(
            *HEAD,
            "一、研究冬季交通安全工作",
            "会议听取了市交通局关于冬季交通安全的汇报。会议要求：",
            "（一）由东城区政府牵头，市交通局、市应急管理局配合，12月15日前完成隐患排查，张副市长负责。",
            "（二）请市发改委会同市财政局、市自规局，一季度末前完成项目前期工作。",
            "二、审议《市城市生活垃圾分类管理办法（草案）》",
            "会议原则通过《办法》，待进一步修改完善后另行印发。",
            "三、研究民生工作",
            "（一）市教体局要持续做好校园食品安全工作，常态化开展联合检查，市卫健委配合。",
            "（二）请青河市政府尽快完成城区供暖管网改造，由分管副市长负责。",
            "（三）各县（市、区）政府要于年底前完成农民工工资清欠。",
            "出席：王明、张华",
            "市人民政府办公室 2026年11月18日印发",
        ),
        UNITS,
    )
    assert reading.source_type is SourceType.EXECUTIVE
    assert reading.source_name == "市人民政府2026年第13次常务会议"
    assert reading.issued == ISSUED
    first, second, long_term, vague, group = reading.proposals
    assert first.matter == "研究冬季交通安全工作"
    assert first.requirement.startswith("由东城区政府牵头")
    assert first.sentence.startswith("（一）由东城区政府牵头")
    assert (first.lead_unit, first.co_units, first.leader) == (
        "东城区人民政府",
        ["市交通运输局"],
        "张副市长",
    )
    assert (first.deadline, first.kind, first.section) == (
        dt.date(2026, 12, 15),
        ItemKind.REGULAR,
        "综合一科",
    )
    assert (second.lead_unit, second.co_units, second.deadline, second.leader) == (
        "市发展和改革委员会",
        ["市财政局", "市自然资源和规划局"],
        dt.date(2027, 3, 31),
        None,
    )
    assert any("按次年" in n for n in second.notes)
    assert (long_term.lead_unit, long_term.co_units, long_term.kind, long_term.deadline) == (
        "市教育体育局（市体育局）",
        ["市卫生健康委员会"],
        ItemKind.LONG_TERM,
        None,
    )
    # a deadline that cannot be read: 一般 with 完成时限 blank, listed
    assert (vague.lead_unit, vague.kind, vague.deadline, vague.leader) == (
        "青河市人民政府",
        ItemKind.REGULAR,
        None,
        None,
    )
    assert (group.lead_unit, group.deadline) == (None, dt.date(2026, 12, 31))
    listed = {(u.item, u.field, u.value) for u in reading.unmatched}
    assert (1, "协办单位", "市应急管理局") in listed
    assert (4, "责任领导", "副市长") in listed
    assert (4, "完成时限", "") in listed
    assert (5, "主责单位", "各县(市、区)政府") in listed
    [left_out] = reading.not_assigned
    assert left_out.matter == "审议《市城市生活垃圾分类管理办法（草案）》"
    assert "原则通过" in left_out.sentence


def test_no_concrete_requirement_is_not_proposed():
    reading = read_minutes(
        _doc(
            *HEAD,
            "一、研究安全生产工作",
            "会议强调，各级各部门要高度重视安全生产工作。",
            "二、听取汇报",
            "会议听取了市财政局关于预算执行情况的汇报。",
        ),
        UNITS,
    )
    assert reading.proposals == []
    assert [n.matter for n in reading.not_assigned] == ["研究安全生产工作", "听取汇报"]


def test_children_inherit_their_parents_unit_and_deadline():
    reading = read_minutes(
        _doc(
            *HEAD,
            "一、研究重点项目",
            "（一）由市住建局牵头，12月底前做好以下工作：",
            "1.完成老旧小区改造方案编制；",
            "2.由东城区政府负责完成征地，2027年3月底前完成。",
        ),
        UNITS + [Unit("市住房和城乡建设局", ["市住建局"])],
    )
    a, b = reading.proposals
    assert (a.requirement, a.lead_unit, a.deadline) == (
        "完成老旧小区改造方案编制；",
        "市住房和城乡建设局",
        dt.date(2026, 12, 31),
    )
    assert (b.lead_unit, b.deadline) == ("东城区人民政府", dt.date(2027, 3, 31))


def test_a_department_of_a_county_is_not_the_county():
    reading = read_minutes(
        _doc(*HEAD, "一、研究教育工作", "（一）由西山县教育局负责，年底前完成校舍改造。"), UNITS
    )
    [p] = reading.proposals
    assert p.lead_unit is None
    assert [(u.field, u.value) for u in reading.unmatched] == [("主责单位", "西山县教育局")]


def test_a_table_with_named_columns_gives_one_item_per_row():
    cells = [
        ("序号", "工作任务", "牵头单位", "配合单位", "完成时限"),
        ("1", "完成标准厂房二期主体工程", "高新区", "市财政局、市应急管理局", "2027年3月底前"),
        ("2", "完成停车场用地报批", "市自规局", "", "10个工作日内"),
    ]
    table = [
        Paragraph(v, where="table", table=0, row=r, col=c)
        for r, row in enumerate(cells)
        for c, v in enumerate(row)
    ]
    reading = read_minutes(
        [*_doc(*HEAD, "一、研究重点项目建设（责任领导：李副市长）"), *table], UNITS
    )
    a, b = reading.proposals
    assert (a.matter, a.requirement, a.lead_unit, a.co_units, a.deadline, a.leader) == (
        "研究重点项目建设（责任领导：李副市长）",
        "完成标准厂房二期主体工程",
        "高新技术产业开发区管委会",
        ["市财政局"],
        dt.date(2027, 3, 31),
        "李副市长",
    )
    assert (b.lead_unit, b.deadline) == ("市自然资源和规划局", dt.date(2026, 12, 2))
    assert [(u.item, u.value) for u in reading.unmatched] == [(1, "市应急管理局")]


def test_type_from_the_title_unless_given():
    doc = _doc(
        "市人民政府2026年第3次专题会议纪要", "2026年11月18日", "一、由市财政局负责，年底前完成。"
    )
    assert read_minutes(doc, UNITS).source_type is SourceType.TOPICAL
    assert read_minutes(doc, UNITS, source_type="领导批示").source_type is SourceType.INSTRUCTION
