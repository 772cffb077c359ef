"""A deterministic ledger of N items across 100 units, and M returned forms filled as units would.

    python -m benchmarks.generate [--items 10000] [--forms 200] [--seed 2026]

The ledger is built the way a busy office's ledger looks after two years: executive meetings,
topical meetings and leaders' instructions since January 2025; about a third of the items
struck off, others done, ended, open, overdue, waiting for an extension or granted one;
reminders; three months of report history in 办理记录. It is then refreshed once (``ledger
refresh``), the forms are written by ``ledger forms`` and M of them are filled with openpyxl
the way units fill them: mostly 推进中 with a progress text, some 已办结 with the date typed as
text in every shape units use, a few 申请延期, contact details, trailing spaces, and a few
forms with a blank progress cell that the office will have to send back.

M forms come from 100 units: the current period's form of every unit first, then the
previous period's (a unit returning October's form late), as the office receives them in a
busy week. Files are cached under ``benchmarks/out/`` keyed by N, M, seed and GENERATOR_VERSION.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path

import openpyxl

from ledger_tools.core import model as m
from ledger_tools.sheets.forms import layout as fl
from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger.new import new_ledger

GENERATOR_VERSION = 1
OUT = Path(__file__).resolve().parent / "out"

REF = dt.date(2026, 11, 20)  # the ledger was last refreshed and the forms issued on this day
PERIOD = "2026-11"  # current reporting period at REF
PREVIOUS = "2026-10"
WORK_AS_OF = dt.date(2026, 11, 24)  # the day the benchmark's commands run (before the 25th)
HISTORY_MONTHS = 3  # months of 办理记录 kept per item (Aug-Oct 2026)
START = dt.date(2025, 1, 1)
N_UNITS = 100

# --- 100 units --------------------------------------------------------------------------------

_FIRST = "东西南北青白金石龙凤安宁平和清云永长兴华"
_SECOND = "山河湖川江阳林泉城桥源溪岭州丰"
DEPARTMENTS = (
    ("发展和改革委员会", "发改委"),
    ("教育局", None),
    ("科学技术局", "科技局"),
    ("工业和信息化局", "工信局"),
    ("公安局", None),
    ("民政局", None),
    ("司法局", None),
    ("财政局", None),
    ("人力资源和社会保障局", "人社局"),
    ("自然资源和规划局", "自然资源局"),
    ("生态环境局", "环境局"),
    ("住房和城乡建设局", "住建局"),
    ("交通运输局", "交通局"),
    ("水务局", None),
    ("农业农村局", "农业局"),
    ("商务局", None),
    ("文化和旅游局", "文旅局"),
    ("卫生健康委员会", "卫健委"),
    ("退役军人事务局", "退役军人局"),
    ("应急管理局", "应急局"),
    ("审计局", None),
    ("国有资产监督管理委员会", "国资委"),
    ("市场监督管理局", "市场监管局"),
    ("统计局", None),
    ("医疗保障局", "医保局"),
    ("林业和草原局", "林草局"),
    ("城市管理局", "城管局"),
    ("行政审批局", None),
    ("信访局", None),
    ("乡村振兴局", None),
    ("能源局", None),
    ("投资促进局", "投促局"),
    ("大数据管理局", "数据局"),
    ("机关事务管理局", "机关事务局"),
    ("体育局", None),
    ("粮食和物资储备局", "粮储局"),
    ("气象局", None),
    ("消防救援支队", "消防支队"),
    ("民族宗教事务委员会", "民宗委"),
    ("外事办公室", "外办"),
    ("金融工作办公室", "金融办"),
    ("人民防空办公室", "人防办"),
    ("地方志办公室", "方志办"),
    ("档案馆", None),
    ("公共资源交易中心", "交易中心"),
    ("住房公积金管理中心", "公积金中心"),
    ("政务服务管理局", "政务服务局"),
    ("水文局", None),
    ("城市建设投资集团有限公司", "城投集团"),
    ("交通建设投资集团有限公司", "交投集团"),
    ("水务集团有限公司", "水务集团"),
    ("文化旅游投资集团有限公司", "文旅集团"),
    ("产业发展集团有限公司", "产投集团"),
    ("供电局", None),
    ("税务局", None),
    ("邮政管理局", None),
    ("通信发展管理办公室", "通信办"),
    ("红十字会", None),
    ("残疾人联合会", "残联"),
    ("总工会", None),
)
SECTIONS = ("综合一科", "综合二科", "经济科", "城建科", "社会科", "督查一科", "督查二科")
LEADERS = ("张副市长", "王副市长", "李副市长", "赵常务副市长", "刘秘书长", "陈副市长", "周副市长")
SURNAMES = "李王张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = (
    "明",
    "芳",
    "伟",
    "洋",
    "静",
    "帆",
    "磊",
    "敏",
    "强",
    "娟",
    "刚",
    "丽",
    "超",
    "琳",
    "斌",
    "军",
    "华",
    "燕",
)


def make_units(rng: random.Random) -> list[m.Unit]:
    """30 counties/districts, 10 parks, 60 city departments and enterprises, with aliases."""
    places = ["".join(p) for p in product(_FIRST, _SECOND)]
    rng.shuffle(places)
    units: list[m.Unit] = []
    for i in range(30):
        place = places[i]
        kind = ("县", "区", "市")[i % 3]
        aliases = [f"{place}{kind}", f"{place}{kind}政府"]
        units.append(
            m.Unit(
                f"{place}{kind}人民政府",
                aliases,
                "县市区",
                SECTIONS[i % 2],
                *_contact(rng, len(units)),
            )
        )
    for i in range(10):
        place = places[30 + i]
        name, alias = (
            (f"{place}经济技术开发区管委会", f"{place}开发区")
            if i % 2 == 0
            else (f"{place}工业园区管委会", f"{place}园区")
        )
        units.append(m.Unit(name, [alias], "园区", "经济科", *_contact(rng, len(units))))
    for i, (name, alias) in enumerate(DEPARTMENTS[: N_UNITS - 40]):
        # A few units have no contact on file: their forms leave the cells for the unit.
        contact = _contact(rng, len(units)) if i % 17 else (None, None)
        units.append(
            m.Unit(
                f"市{name}",
                [f"市{alias}"] if alias else [],
                "市直部门",
                SECTIONS[2 + i % 5],
                *contact,
            )
        )
    assert len(units) == N_UNITS
    return units


def _contact(rng: random.Random, n: int) -> tuple[str, str]:
    return rng.choice(SURNAMES) + rng.choice(GIVEN), f"0875-{2100000 + n + 1:07d}"


# --- sources and items ------------------------------------------------------------------------

MATTERS = (
    ("加快推进{u}老旧小区改造项目", "年底前完成改造任务并组织竣工验收"),
    ("做好{u}冬春森林草原防灭火工作", "压实责任，落实24小时值班值守制度"),
    ("推进{u}重点招商引资项目落地", "建立项目清单，逐项明确开工时间"),
    ("落实{u}农村饮水安全巩固提升工程", "完成管网改造并通水验收"),
    ("抓好{u}中小学校舍安全隐患整改", "完成排查出的隐患整改并形成台账"),
    ("推进{u}污水处理厂提标改造", "出水水质达到一级A标准"),
    ("做好{u}稳就业保民生相关工作", "完成年度城镇新增就业目标任务"),
    ("加快{u}专项债券项目支出进度", "专项债券资金支出进度达到序时要求"),
    ("推动{u}营商环境优化提升", "梳理问题清单并限时整改销号"),
    ("做好{u}基层医疗卫生服务能力提升", "完成乡镇卫生院标准化建设"),
    ("推进{u}城乡生活垃圾分类处理", "建成分类收运体系"),
    ("落实{u}耕地保护和粮食安全责任", "完成年度耕地保有量和永久基本农田保护任务"),
    ("加快{u}交通重点项目建设", "按节点完成路基工程和桥梁施工"),
    ("做好{u}安全生产隐患排查整治", "开展专项整治并报送整治情况"),
    ("推进{u}数字政府建设", "完成政务数据共享平台对接"),
    ("抓好{u}河湖长制落实", "完成河道清淤和岸线整治"),
)
PROGRESS = (
    "已召开专题会议研究部署，制定了工作方案，明确责任分工和时间节点。",
    "已完成前期调查摸底，形成问题清单{a}项，已整改{b}项，其余正在整改。",
    "项目已完成立项和初步设计批复，正在开展招标工作，预计下月开工建设。",
    "已完成年度任务的{p}%，资金已拨付到位，下一步将加快施工进度。",
    "已会同有关部门开展联合督查，发现的{a}个问题已交办相关乡镇限期整改。",
    "已完成投资{a}00万元，占计划的{p}%，主体工程正在施工。",
    "已组织现场推进会{b}次，协调解决用地、资金等问题{a}个。",
)
PROBLEMS = (
    "项目资金缺口较大，建议市财政给予支持。",
    "用地指标紧张，建议协调解决。",
    "涉及多个部门，建议明确牵头协调机制。",
)


@dataclass
class Source:
    type: m.SourceType
    name: str
    issued: dt.date
    number: int  # meeting number (0 for an instruction)


def make_sources(ref: dt.date) -> list[Source]:
    """Two executive meetings and one topical meeting a month, four instructions a month."""
    out: list[Source] = []
    year, month = START.year, START.month
    counters: dict[tuple[int, m.SourceType], int] = {}
    while (year, month) <= (ref.year, ref.month):
        plan = (
            (m.SourceType.EXECUTIVE, 8),
            (m.SourceType.EXECUTIVE, 22),
            (m.SourceType.TOPICAL, 15),
            (m.SourceType.INSTRUCTION, 4),
            (m.SourceType.INSTRUCTION, 11),
            (m.SourceType.INSTRUCTION, 18),
            (m.SourceType.INSTRUCTION, 25),
        )
        for kind, day in plan:
            issued = dt.date(year, month, day)
            if issued >= ref:
                continue
            key = (year, kind)
            counters[key] = counters.get(key, 0) + 1
            n = counters[key]
            if kind is m.SourceType.EXECUTIVE:
                name, number = f"市人民政府{year}年第{n}次常务会议", n
            elif kind is m.SourceType.TOPICAL:
                name, number = f"市人民政府{year}年第{n}次专题会议（重点项目）", n
            else:
                name, number = f"市政府主要领导{year}年{month}月{day}日批示（第{n}号）", 0
            out.append(Source(kind, name, issued, number))
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return out


@dataclass
class Built:
    items: list[dict] = field(default_factory=list)
    reports: list[dict] = field(default_factory=list)
    extensions: list[dict] = field(default_factory=list)
    reminders: list[dict] = field(default_factory=list)


def _days(d: dt.date, n: int) -> dt.date:
    return d + dt.timedelta(days=n)


def _progress(rng: random.Random, tag: str) -> str:
    a = rng.randint(3, 40)
    text = rng.choice(PROGRESS).format(a=a, b=rng.randint(1, a), p=rng.randint(20, 95))
    return f"{tag}{text}"


def _periods_before(ref: dt.date, n: int) -> list[str]:
    year, month, out = ref.year, ref.month, []
    for _ in range(n):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        out.append(f"{year}-{month:02d}")
    return out[::-1]


SHAPES = ("heavy", "lean")


def build_rows(
    n_items: int,
    units: list[m.Unit],
    rng: random.Random,
    ref: dt.date = REF,
    shape: str = "heavy",
) -> Built:
    """Every sheet's rows as field → value; the first 100 items are open, one per unit.

    ``lean`` is the same items with few log rows: no monthly 办理记录 history (only the report
    of a completion within the history months), no 催办记录. It exists because a history-heavy
    ledger's own openpyxl round trip is slow, which flatters every ratio to it.
    """
    sources = make_sources(ref)
    weights = [
        3 if s.type is m.SourceType.EXECUTIVE else 1.5 if s.type is m.SourceType.TOPICAL else 0.5
        for s in sources
    ]
    recent = [s for s in sources if 20 <= (ref - s.issued).days <= 120]
    unit_weights = [1 + (i * 7919) % 3 for i in range(len(units))]
    history = _periods_before(ref, HISTORY_MONTHS)
    b = Built()
    notice = 0
    seqs: dict[str, int] = {}  # id prefix → last number (all of a year's instructions share one)
    picks = rng.choices(sources, weights=weights, k=n_items)
    for i in range(n_items):
        forced = i < len(units)  # every unit gets at least one open item
        src = rng.choice(recent) if forced else picks[i]
        unit = units[i] if forced else rng.choices(units, weights=unit_weights)[0]
        long_term = not forced and rng.random() < 0.12
        age = (ref - src.issued).days
        deadline = (
            None
            if long_term
            else _days(src.issued, rng.choice((30, 45, 60, 90, 120, 180, 240, 365)))
        )
        if forced and deadline is not None and deadline <= ref:
            deadline = _days(ref, 40 + i % 60)
        assigned = None
        if forced or age > 3 or rng.random() < 0.3:
            assigned = min(_days(src.issued, rng.choice((1, 2, 2, 3, 3, 4, 6))), _days(ref, -1))
        matter, requirement = rng.choice(MATTERS)
        co = [u.name for u in rng.sample(units, rng.choice((0, 0, 0, 1, 1, 2))) if u is not unit]
        prefix = f"{src.issued.year}-{src.type.code}{src.number:02d}-"
        item_id = None
        if assigned:
            seqs[prefix] = seqs.get(prefix, 0) + 1
            item_id = f"{prefix}{seqs[prefix]:02d}"
        if assigned:
            notice += 1
        row: dict = {
            "id": item_id,
            "source_type": src.type.value,
            "source_name": src.name,
            "issued": src.issued,
            "matter": matter.format(u=unit.aliases[0] if unit.aliases else unit.name),
            "requirement": requirement,
            "leader": rng.choice(LEADERS),
            "section": unit.section,
            "lead_unit": rng.choice(unit.aliases)
            if unit.aliases and rng.random() < 0.2
            else unit.name,
            "co_units": "、".join(co) or None,
            "kind": (m.ItemKind.LONG_TERM if long_term else m.ItemKind.REGULAR).value,
            "deadline": deadline,
            "assigned": assigned,
            "notice_no": f"督查通〔{assigned.year}〕{notice}号" if assigned else None,
            "confidential": "是" if rng.random() < 0.02 else None,
        }
        fate = "open" if forced or not assigned else _fate(rng, deadline, ref, long_term, age)
        done = None
        if fate in ("closed", "done"):
            base = deadline or _days(ref, -rng.randint(30, 200))
            late = rng.random() < 0.12
            done = _days(base, rng.randint(1, 20) if late else -rng.randint(0, 40))
            done = min(max(done, _days(assigned, 5)), _days(ref, -1))
            row["done_date"] = done
            row["status"] = m.Status.DONE.value
            if fate == "closed":
                closed = min(_days(done, rng.randint(3, 20)), ref)
                row.update(
                    status=m.Status.CLOSED.value,
                    closed_date=closed,
                    closed_by="督查室 " + rng.choice(SURNAMES) + "华",
                    verification=rng.choices(["属实", "报送不实", "措施不力"], weights=(50, 1, 1))[
                        0
                    ],
                )
        elif fate == "terminated":
            row.update(status=m.Status.TERMINATED.value, note="因政策调整，经分管领导同意终止办理")
        elif assigned and deadline and not long_term:
            roll = rng.random()
            if roll < 0.05:
                row["status"] = m.Status.EXTENSION_REQUESTED.value
                b.extensions.append(
                    {
                        "item_id": item_id,
                        "requested": _days(ref, -rng.randint(2, 15)),
                        "unit": unit.name,
                        "old_deadline": deadline,
                        "requested_to": _days(max(deadline, ref), rng.randint(30, 90)),
                        "reason": "受征地拆迁影响，施工进度滞后",
                    }
                )
            elif roll < 0.13:
                granted = _days(max(deadline, ref), rng.randint(20, 120))
                approved = max(min(_days(deadline, -3), _days(ref, -1)), assigned)
                b.extensions.append(
                    {
                        "item_id": item_id,
                        "requested": _days(approved, -5),
                        "unit": unit.name,
                        "old_deadline": deadline,
                        "requested_to": granted,
                        "reason": "资金到位较晚",
                        "approver": row["leader"],
                        "approved_on": approved,
                        "result": "同意",
                        "granted_to": granted,
                    }
                )
            elif roll < 0.16:
                approved = max(min(_days(deadline, -2), _days(ref, -1)), assigned)
                b.extensions.append(
                    {
                        "item_id": item_id,
                        "requested": _days(approved, -4),
                        "unit": unit.name,
                        "old_deadline": deadline,
                        "requested_to": _days(deadline, 90),
                        "reason": "项目审批手续复杂",
                        "approver": row["leader"],
                        "approved_on": approved,
                        "result": "不同意",
                    }
                )
            if deadline < ref and roll > 0.5 and shape == "heavy":
                for k in range(1 + int(roll * 10) % 3):
                    b.reminders.append(
                        {
                            "date": _days(ref, -30 + 9 * k),
                            "item_id": item_id,
                            "unit": unit.name,
                            "method": ("书面督办", "电话督办")[k % 2],
                            "content": "请加快办理进度，按时限办结并报送办理情况。",
                            "clerk": "督查室 李华",
                        }
                    )
        if assigned:
            _history(b, rng, row, unit, history, done, long_term, lean=shape == "lean")
        b.items.append(row)
    return b


def _fate(rng: random.Random, deadline, ref: dt.date, long_term: bool, age: int) -> str:
    r = rng.random()
    if r < 0.03:
        return "terminated"
    if long_term:
        return "closed" if age > 400 and r < 0.3 else "open"
    if deadline < _days(ref, -30) and r < 0.8:
        return "closed"
    if deadline < _days(ref, 20) and r < 0.45:
        return "done"
    return "open"


def _history(
    b: Built,
    rng: random.Random,
    row: dict,
    unit: m.Unit,
    periods: list[str],
    done,
    long_term,
    lean: bool = False,
) -> None:
    """Reports of the last months while the item was open, and the report of its completion
    (``lean``: only a completion that falls within those months)."""
    assigned = row["assigned"]
    last = None
    if lean and done and f"{done.year}-{done.month:02d}" < periods[0]:
        done = None
    for period in [] if lean else periods:
        year, month = map(int, period.split("-"))
        start = dt.date(year, month, 1)
        if start <= assigned or (done and done < start) or rng.random() < 0.15:
            continue
        recorded = dt.datetime.combine(
            dt.date(year, month, rng.randint(8, 27)), dt.time(rng.randint(8, 17), 30)
        )
        last = {
            "recorded": recorded,
            "item_id": row["id"],
            "unit": unit.name,
            "period": period,
            "status": "推进中",
            "progress": _progress(rng, f"{month}月："),
            "stage_target": "2027年6月底前完成主体工程"
            if long_term and not row.get("stage_target")
            else None,
            "contact": unit.contact,
            "phone": unit.phone,
            "source_file": f"反馈表-{period}-{unit.name}.xlsx",
        }
        if last["stage_target"]:
            row["stage_target"] = last["stage_target"]
        b.reports.append(last)
    if done:
        period = f"{done.year}-{done.month:02d}"
        last = {
            "recorded": dt.datetime.combine(min(_days(done, 3), REF), dt.time(10, 0)),
            "item_id": row["id"],
            "unit": unit.name,
            "period": period,
            "status": "已办结",
            "done_date": done,
            "progress": "已按要求完成全部任务，经验收合格。",
            "contact": unit.contact,
            "phone": unit.phone,
            "source_file": f"反馈表-{period}-{unit.name}.xlsx",
        }
        b.reports.append(last)
    if last:
        row["latest_progress"] = last["progress"]
        row["last_report"] = last["recorded"].date()


def write_ledger(path: Path, units: list[m.Unit], built: Built) -> None:
    """A new ledger (``new_ledger``), then every row appended in one pass per sheet."""
    new_ledger(path, units, today=REF)
    wb = openpyxl.load_workbook(path)
    for sheet, rows in (
        (sc.ITEMS, built.items),
        (sc.REPORTS, built.reports),
        (sc.EXTENSIONS, built.extensions),
        (sc.REMINDERS, built.reminders),
    ):
        ws = wb[sheet.name]
        header = {c.value: c.column for c in ws[1] if c.value}
        order = [(header[c.header] - 1, c.field) for c in sheet.columns]
        width = max(header.values())
        for r in rows:
            values: list = [None] * width
            for index, f in order:
                values[index] = r.get(f)
            ws.append(values)
    wb.save(path)


# --- returned forms ---------------------------------------------------------------------------

DATE_SHAPES = (
    lambda d: f"{d.year}-{d.month}-{d.day}",
    lambda d: f"{d.year}/{d.month:02d}/{d.day:02d}",
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: f"{d.year}-{d.month:02d}-{d.day:02d}".translate(
        str.maketrans("0123456789-", "０１２３４５６７８９－")
    ),
    lambda d: f"{d.isoformat()} ",
    lambda d: d,  # a real date cell
)


def fill_form(
    src: Path,
    dst: Path,
    rng: random.Random,
    assigned: dict[str, dt.date],
    *,
    current: bool,
    broken: bool,
) -> dict:
    """Fill the unlocked cells of one form as a unit would, save it to ``dst``; what was filled."""
    wb = openpyxl.load_workbook(src)
    ws = wb[fl.SHEET_FORM]
    header_row, cols = None, {}
    for row in ws.iter_rows(min_row=1, max_row=30):
        keys = {fl.header_key(c.value): c.column for c in row if c.value}
        if "事项编号" in keys and "本期进展情况" in keys:
            header_row, cols = row[0].row, keys
            break
    if header_row is None:
        raise SystemExit(f"{src.name}: 找不到反馈表表头")
    for row in ws.iter_rows(min_row=1, max_row=header_row - 1):
        for c in row:
            label = fl.header_key(c.value)
            if label in (fl.LABEL_CONTACT, fl.LABEL_PHONE):
                target = ws.cell(row=c.row, column=c.column + 1)
                if not target.value:
                    target.value = "办公室 赵丽" if label == fl.LABEL_CONTACT else "0875-2188888"
    counts = {"推进中": 0, "已办结": 0, "申请延期": 0, "rows": 0}
    broken_row = None
    r = header_row + 1
    while ws.cell(row=r, column=cols["事项编号"]).value:
        item_id = str(ws.cell(row=r, column=cols["事项编号"]).value)
        kind = ws.cell(row=r, column=cols["事项类型"]).value
        deadline = _iso(ws.cell(row=r, column=cols["当前时限"]).value)
        last = ws.cell(row=r, column=cols["上期进展"]).value

        def put(header: str, value, _r: int = r) -> None:
            ws.cell(row=_r, column=cols[header]).value = value

        item_rng = random.Random(f"{item_id}/{current}")
        roll = item_rng.random()
        month = int((PERIOD if current else PREVIOUS)[-2:])
        progress = _progress(item_rng, f"{month}月：")
        if rng.random() < 0.1:
            progress += "  "  # trailing spaces, as pasted
        status = "推进中"
        if current and roll < 0.12:
            status = "已办结"
            done = max(_days(REF, -item_rng.randint(0, 15)), assigned.get(item_id, START))
            put("办结日期", rng.choice(DATE_SHAPES)(done))
            progress = "已按要求完成全部任务，" + progress
        elif current and roll < 0.17 and kind == "一般" and deadline is not None:
            status = "申请延期"
            put("延期原因", "受汛期影响，施工进度滞后，需延期完成。")
            put(
                "申请延期至",
                rng.choice(DATE_SHAPES)(_days(max(deadline, WORK_AS_OF), item_rng.randint(30, 90))),
            )
        if kind == "长期" and not last:
            put("阶段性目标", "2027年6月底前完成主体工程，年底前全面投用。")
        if item_rng.random() < 0.08:
            put("存在问题及建议", item_rng.choice(PROBLEMS))
        put("办理状态", status)
        put("本期进展情况", progress)
        if broken and broken_row is None:
            broken_row = r
            put("本期进展情况", None)  # R104: the office sends this form back
        counts[status] += 1
        counts["rows"] += 1
        r += 1
    wb.save(dst)
    return counts


def _iso(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


# --- the whole set ----------------------------------------------------------------------------


@dataclass
class Dataset:
    folder: Path
    ledger: Path
    forms: dict[str, Path]  # period → folder of issued forms
    returned: Path
    manifest: dict

    @property
    def one_form(self) -> Path:
        return self.returned / self.manifest["one_form"]


def key(n_items: int, n_forms: int, seed: int, shape: str = "heavy") -> str:
    suffix = "" if shape == "heavy" else f"-{shape}"  # the heavy shape keeps its old cache name
    return f"n{n_items}-m{n_forms}-s{seed}-v{GENERATOR_VERSION}{suffix}"


def ledger_cmd(*args: str, log: Path) -> float:
    """Run ``ledger ARGS`` as users do; its wall time. Output goes to ``log``."""
    started = time.perf_counter()
    with open(log, "ab") as out:
        done = subprocess.run(
            [sys.executable, "-m", "ledger_tools", *args], stdout=out, stderr=subprocess.STDOUT
        )
    if done.returncode not in (0, 1):
        raise SystemExit(f"ledger {' '.join(args)} failed with exit {done.returncode}; see {log}")
    return time.perf_counter() - started


def generate(
    n_items: int = 10_000,
    n_forms: int = 200,
    seed: int = 2026,
    out: Path = OUT,
    force: bool = False,
    say=print,
    shape: str = "heavy",
) -> Dataset:
    """Build (or reuse from the cache) the ledger and the returned forms."""
    folder = Path(out) / key(n_items, n_forms, seed, shape)
    manifest_path = folder / "manifest.json"
    if manifest_path.exists() and not force:
        return _dataset(folder, json.loads(manifest_path.read_text(encoding="utf-8")))
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    log = folder / "generate.log"
    rng = random.Random(seed)
    timings: dict[str, float] = {}

    started = time.perf_counter()
    units = make_units(rng)
    built = build_rows(n_items, units, rng, shape=shape)
    ledger = folder / "ledger.xlsx"
    write_ledger(ledger, units, built)
    timings["build"] = time.perf_counter() - started
    say(
        f"台账：{n_items} 个事项，{len(built.reports)} 条办理记录，{len(built.extensions)} 条延期记录，"
        f"{len(built.reminders)} 条催办记录（{timings['build']:.1f} 秒）"
    )

    timings["refresh"] = ledger_cmd("refresh", str(ledger), "--as-of", REF.isoformat(), log=log)
    shutil.rmtree(folder / "台账备份", ignore_errors=True)
    periods = [PERIOD] if n_forms <= N_UNITS else [PERIOD, PREVIOUS]
    forms: dict[str, Path] = {}
    for period in periods:
        forms[period] = folder / "forms" / period
        timings[f"forms {period}"] = ledger_cmd(
            "forms",
            str(ledger),
            "--period",
            period,
            "--out",
            str(forms[period]),
            "--as-of",
            REF.isoformat(),
            log=log,
        )
    say(
        f"refresh {timings['refresh']:.1f} 秒；forms "
        + "、".join(f"{timings['forms ' + p]:.1f} 秒" for p in periods)
    )

    issued = [p for period in periods for p in sorted(forms[period].glob("反馈表-*.xlsx"))]
    if len(issued) < n_forms:
        say(
            f"注意：只有 {len(issued)} 份反馈表可填（{len(periods)} 期 × 单位数），按 {len(issued)} 份生成。"
        )
    returned = folder / "returned"
    returned.mkdir()
    started = time.perf_counter()
    totals = {"推进中": 0, "已办结": 0, "申请延期": 0, "rows": 0, "broken_forms": 0}
    chosen = issued[:n_forms]
    assigned = {r["id"]: r["assigned"] for r in built.items if r.get("id")}
    broken_names: set[str] = set()
    for index, src in enumerate(chosen):
        broken = index % 25 == 7
        if broken:
            broken_names.add(src.name)
        counts = fill_form(
            src, returned / src.name, rng, assigned, current=PERIOD in src.name, broken=broken
        )
        for k, v in counts.items():
            totals[k] += v
        totals["broken_forms"] += broken
    timings["fill"] = time.perf_counter() - started
    # `check` is timed on the largest clean form of the current period.
    biggest = max(
        (p for p in chosen if PERIOD in p.name and p.name not in broken_names),
        key=lambda p: p.stat().st_size,
    )
    manifest = {
        "items": n_items,
        "forms": len(chosen),
        "seed": seed,
        "shape": shape,
        "units": N_UNITS,
        "generator_version": GENERATOR_VERSION,
        "ref": REF.isoformat(),
        "as_of": WORK_AS_OF.isoformat(),
        "period": PERIOD,
        "periods": periods,
        "reports": len(built.reports),
        "extensions": len(built.extensions),
        "reminders": len(built.reminders),
        "ledger_bytes": ledger.stat().st_size,
        "filled": totals,
        "one_form": biggest.name,
        "broken": sorted(broken_names),
        "timings": {k: round(v, 2) for k, v in timings.items()},
    }
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    say(
        f"已填写 {len(chosen)} 份反馈表（{totals['rows']} 行；其中 {totals['broken_forms']} 份有错误，应退回），"
        f"保存在 {returned}（{timings['fill']:.1f} 秒）"
    )
    return _dataset(folder, manifest)


def _dataset(folder: Path, manifest: dict) -> Dataset:
    return Dataset(
        folder=folder,
        ledger=folder / "ledger.xlsx",
        forms={p: folder / "forms" / p for p in manifest["periods"]},
        returned=folder / "returned",
        manifest=manifest,
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        description="生成基准测试用的台账与已填写的反馈表（结果缓存在 benchmarks/out/）。"
    )
    ap.add_argument("--items", type=int, default=10_000, help="事项数（默认 10000）")
    ap.add_argument("--forms", type=int, default=200, help="报回的反馈表份数（默认 200）")
    ap.add_argument("--seed", type=int, default=2026, help="随机种子（默认 2026）")
    ap.add_argument(
        "--shape",
        choices=SHAPES,
        default="heavy",
        help="台账形状：heavy 办理记录多（默认），lean 日志行少",
    )
    ap.add_argument("--force", action="store_true", help="忽略缓存，重新生成")
    args = ap.parse_args(argv)
    ds = generate(args.items, args.forms, args.seed, force=args.force, shape=args.shape)
    print(ds.folder)


if __name__ == "__main__":
    main()
