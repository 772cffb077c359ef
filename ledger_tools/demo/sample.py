"""A realistic sample ledger, built deterministically relative to a reference date.

Used by ``ledger demo``, by ``samples/build.py`` and by tests that want a lived-in ledger:
15 units with aliases, all three source types, every status, confidential and long-term items,
overdue ones, extensions pending, approved and refused, reminders and spot-check results.
Rows are written the way staff type them (through the header map), never by column position.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter
from pathlib import Path

from ledger_tools.core import model as m
from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger.data import read_ledger
from ledger_tools.sheets.ledger.file import LedgerFile
from ledger_tools.sheets.ledger.new import new_ledger

__all__ = ["REFERENCE_DATE", "SAMPLE_UNITS", "build_sample"]

REFERENCE_DATE = dt.date(2026, 11, 20)

SAMPLE_UNITS: tuple[m.Unit, ...] = tuple(
    m.Unit(name, aliases, cat, section, contact, phone)
    for name, aliases, cat, section, contact, phone in (
        ("东城区人民政府", ["东城区", "东城区政府"], "县市区", "综合一科", "李明", "0875-2101001"),
        ("西山县人民政府", ["西山县", "西山县政府"], "县市区", "综合一科", "王芳", "0875-2101002"),
        ("南湖县人民政府", ["南湖县"], "县市区", "综合一科", "张伟", "0875-2101003"),
        ("北岭县人民政府", ["北岭县"], "县市区", "综合二科", "刘洋", "0875-2101004"),
        ("青河市人民政府", ["青河市"], "县市区", "综合二科", "陈静", "0875-2101005"),
        (
            "高新技术产业开发区管委会",
            ["高新区", "高新区管委会"],
            "园区",
            "经济科",
            "杨帆",
            "0875-2101006",
        ),
        ("工业园区管委会", ["工业园区"], "园区", "经济科", "赵磊", "0875-2101007"),
        ("市发展和改革委员会", ["市发改委"], "市直部门", "经济科", "黄敏", "0875-2101008"),
        ("市财政局", [], "市直部门", "经济科", "周强", "0875-2101009"),
        (
            "市自然资源和规划局",
            ["市自然资源局", "市自规局"],
            "市直部门",
            "城建科",
            "吴娟",
            "0875-2101010",
        ),
        ("市住房和城乡建设局", ["市住建局"], "市直部门", "城建科", "徐刚", "0875-2101011"),
        ("市交通运输局", ["市交通局"], "市直部门", "城建科", "孙丽", "0875-2101012"),
        ("市教育体育局", ["市教体局"], "市直部门", "社会科", "马超", "0875-2101013"),
        ("市卫生健康委员会", ["市卫健委"], "市直部门", "社会科", "朱琳", "0875-2101014"),
        ("市生态环境局", ["市环境局"], "市直部门", "城建科", "胡斌", "0875-2101015"),
    )
)

LEADERS = ("张副市长", "王副市长", "李副市长", "赵常务副市长", "刘秘书长")
SECTIONS = ("综合一科", "综合二科", "经济科", "城建科", "社会科")

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
)
PROGRESS = (
    "已召开专题会议研究部署，制定了工作方案，明确责任分工和时间节点，目前按计划推进。",
    "已完成前期调查摸底，形成问题清单 12 项，已整改 8 项，其余 4 项正在整改。",
    "项目已完成立项和初步设计批复，正在开展招标工作，预计下月开工建设。",
    "已完成年度任务的 75%，资金已拨付到位，下一步将加快施工进度。",
    "已会同有关部门开展联合督查，发现的问题已交办相关乡镇限期整改。",
)


def _unit(rng: random.Random) -> m.Unit:
    return rng.choice(SAMPLE_UNITS)


def _meetings(ref: dt.date) -> list[tuple[str, str, dt.date]]:
    """(来源类型, 来源名称, 印发日期) for roughly a year of meetings up to the reference date."""
    out = []
    year = ref.year
    for n in range(1, 13):
        issued = dt.date(year, 1, 8) + dt.timedelta(days=28 * (n - 1))
        if issued > ref:
            break
        out.append(("常务会议", f"市人民政府{year}年第{n}次常务会议", issued))
    for n, month in ((1, 3), (2, 6), (3, 9)):
        out.append(
            ("专题会议", f"市人民政府{year}年第{n}次专题会议（重点项目）", dt.date(year, month, 15))
        )
    for title, day in (
        ("关于做好防汛抗旱工作的批示", dt.date(year, 5, 20)),
        ("关于加快项目建设进度的批示", dt.date(year, 8, 12)),
        ("关于做好冬季安全生产工作的批示", ref - dt.timedelta(days=9)),
    ):
        out.append(("领导批示", f"市政府主要领导{title}", day))
    return sorted(out, key=lambda x: x[2])


def build_sample(path: Path, ref: dt.date = REFERENCE_DATE, seed: int = 2026) -> Path:
    """Write the sample ledger to ``path`` (must not exist)."""
    rng = random.Random(seed)
    path = Path(path)
    new_ledger(path, list(SAMPLE_UNITS), today=ref)
    with LedgerFile(path, writable=True) as lf:
        data = read_ledger(lf)
        items_t, reports_t = data.table(sc.ITEMS), data.table(sc.REPORTS)
        ext_t, rem_t = data.table(sc.EXTENSIONS), data.table(sc.REMINDERS)
        n = 0
        seq: Counter = Counter()
        for src_type, src_name, issued in _meetings(ref):
            count = 7 if src_type == "常务会议" else 4
            for _ in range(count):
                n += 1
                unit = _unit(rng)
                co = [
                    u.name
                    for u in rng.sample(SAMPLE_UNITS, rng.choice((0, 0, 1, 2)))
                    if u is not unit
                ]
                matter, req = rng.choice(MATTERS)
                long_term = n % 6 == 0
                age = (ref - issued).days
                deadline = (
                    None
                    if long_term
                    else issued + dt.timedelta(days=rng.choice((30, 60, 90, 120, 180, 240)))
                )
                late_assign = n % 17 == 0
                assigned = (
                    None
                    if age < 3 and src_type != "领导批示"
                    else issued + dt.timedelta(days=5 if late_assign else 2)
                )
                if src_type == "领导批示" and age < 12:
                    assigned = None  # the newest instruction waits for assignment (交办超时)
                row = {
                    "source_type": m.SourceType(src_type),
                    "source_name": src_name,
                    "issued": issued,
                    "matter": matter.format(u=unit.aliases[0] if unit.aliases else unit.name),
                    "requirement": req,
                    "leader": rng.choice(LEADERS),
                    "section": unit.section or rng.choice(SECTIONS),
                    "lead_unit": rng.choice([unit.name] + unit.aliases),
                    "co_units": co,
                    "kind": m.ItemKind.LONG_TERM if long_term else m.ItemKind.REGULAR,
                    "deadline": deadline,
                    "assigned": assigned,
                    "notice_no": f"督查通〔{issued.year}〕{n}号" if assigned else None,
                    "confidential": m.YesNo.YES if n % 23 == 0 else None,
                }
                fate = _fate(n, deadline, ref, assigned)
                row.update(fate.get("item", {}))
                prefix = f"{issued.year}-{m.SourceType(src_type).code}{_meeting_no(src_name):02}-"
                seq[prefix] += 1
                if assigned:  # items not yet assigned are left without an id: refresh numbers them
                    row["id"] = f"{prefix}{seq[prefix]:02}"
                item_id = row.get("id")
                reports = list(_reports(rng, item_id, unit, assigned, ref, fate, long_term))
                if reports:
                    row.update(
                        latest_progress=reports[-1]["progress"],
                        last_report=reports[-1]["recorded"].date(),
                        stage_target=reports[0]["stage_target"],
                    )
                items_t.append(row)
                for rep in reports:
                    reports_t.append(rep)
                for ext in fate.get("extensions", []):
                    ext_t.append({"item_id": item_id, "unit": unit.name, **ext})
                for k in range(fate.get("reminders", 0)):
                    rem_t.append(
                        {
                            "date": ref - dt.timedelta(days=20 - 7 * k),
                            "item_id": item_id,
                            "unit": unit.name,
                            "method": m.ReminderMethod.WRITTEN
                            if k % 2 == 0
                            else m.ReminderMethod.PHONE,
                            "content": "请加快办理进度，按时限办结并报送办理情况。",
                            "clerk": "督查室 李华",
                        }
                    )
        lf.save()
    return path


def _meeting_no(name: str) -> int:
    mt = re.search(r"第(\d+)次", name)
    return int(mt.group(1)) if mt else 0


def _fate(n: int, deadline, ref: dt.date, assigned) -> dict:
    """What happened to item n: chosen so every status and warning appears in realistic shares."""
    if not assigned:
        return {}
    if n % 13 == 0:
        return {
            "item": {"status": m.Status.TERMINATED, "note": "因政策调整，经分管领导同意终止办理"}
        }
    if n % 11 == 0 or (deadline and deadline < ref and n % 4 and n % 3 == 0):
        done = min(deadline or ref, ref) - dt.timedelta(days=12 + n % 9)
        return {
            "item": {
                "status": m.Status.CLOSED,
                "done_date": done,
                "closed_date": done + dt.timedelta(days=6),
                "closed_by": "督查室 李华",
                "verification": m.Verification.TRUE,
            },
            "done": done,
        }
    if deadline and n % 9 == 0:
        return {
            "item": {"status": m.Status.EXTENSION_REQUESTED},
            "extensions": [
                {
                    "requested": ref - dt.timedelta(days=4),
                    "old_deadline": deadline,
                    "requested_to": deadline + dt.timedelta(days=45),
                    "reason": "受征地拆迁影响，施工进度滞后",
                }
            ],
        }
    if deadline and n % 10 == 0:
        granted = max(deadline, ref) + dt.timedelta(days=60)
        return {
            "extensions": [
                {
                    # asked and approved before the deadline, and never after the reference
                    # date: an approval dated ahead has not been given yet (L318)
                    "requested": min(deadline, ref) - dt.timedelta(days=10),
                    "old_deadline": deadline,
                    "requested_to": granted,
                    "reason": "资金到位较晚",
                    "approver": "王副市长",
                    "approved_on": min(deadline, ref) - dt.timedelta(days=5),
                    "result": m.Approval.APPROVED,
                    "granted_to": granted,
                }
            ]
        }
    if deadline and n % 8 == 0:
        return {
            "extensions": [
                {
                    "requested": min(deadline, ref) - dt.timedelta(days=8),
                    "old_deadline": deadline,
                    "requested_to": deadline + dt.timedelta(days=90),
                    "reason": "项目审批手续复杂",
                    "approver": "李副市长",
                    "approved_on": min(deadline, ref) - dt.timedelta(days=3),
                    "result": m.Approval.REFUSED,
                }
            ],
            "reminders": 2 if deadline < ref else 0,
        }
    if deadline and (deadline < ref and n % 4 or n % 7 == 0):
        done = min(
            deadline + dt.timedelta(days=4 if n % 5 == 0 else -6), ref - dt.timedelta(days=2)
        )
        verification = (
            m.Verification.FALSE_REPORT
            if n % 14 == 0
            else (m.Verification.INEFFECTIVE if n % 15 == 0 else None)
        )
        return {
            "item": {"status": m.Status.DONE, "done_date": done, "verification": verification},
            "done": done,
        }
    if deadline and deadline < ref:
        return {"reminders": 1 + n % 3}
    return {}


def _reports(rng, item_id, unit: m.Unit, assigned, ref: dt.date, fate: dict, long_term: bool):
    """Monthly reports from the month after assignment up to the reference month, some missing or late."""
    if not assigned:
        return
    year, month = assigned.year, assigned.month
    first = True
    end = fate.get("done", ref)
    while (year, month) <= (ref.year, ref.month):
        period = f"{year}-{month:02}"
        due = dt.date(year, month, 25)
        skip = rng.random() < 0.12 or (year, month) == (ref.year, ref.month) and rng.random() < 0.5
        if (
            dt.date(year, month, 1) <= end
            and not skip
            and (dt.date(year, month, 1) > assigned or first)
        ):
            late = rng.random() < 0.1
            recorded = min(due + dt.timedelta(days=3 if late else -rng.randint(1, 10)), ref)
            if recorded >= assigned:
                yield {
                    "recorded": dt.datetime.combine(recorded, dt.time(9, 30)),
                    "item_id": item_id,
                    "unit": unit.name,
                    "period": period,
                    "status": m.UnitReportStatus.ONGOING,
                    "progress": rng.choice(PROGRESS),
                    "stage_target": "年内完成主体工程，次年6月前全面投用"
                    if long_term and first
                    else None,
                    "contact": unit.contact,
                    "phone": unit.phone,
                    "source_file": f"反馈表-{period}-{unit.name}.xlsx",
                }
                first = False
        month += 1
        if month == 13:
            year, month = year + 1, 1
