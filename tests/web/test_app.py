"""The pages over the sample ledger, their names (SPEC §9), and refusals shown as the CLI's."""

import re

from ledger_tools.jobs import overview
from tests.builders import sha

NAV = ("概览", "事项", "收表", "下发", "台账")


def test_every_page_has_the_navigation_and_its_controls(bench):
    client, _ = bench
    controls = {
        "/": ["督办预警", "分单位", "分领导", "逾期事项", "计算日期"],
        "/items": ["主责单位", "办理状态", "督办预警", "来源类型", "责任领导", "搜索"],
        "/intake": [
            '<label for="files">报回文件</label>',
            ">检查</button>",
            ">合并入台账</button>",
        ],
        "/documents": [
            ">生成反馈表</button>",
            ">生成交办通知</button>",
            ">生成催办通知</button>",
            "登记催办记录",
            ">随机抽查</button>",
            ">生成通报</button>",
            ">生成扣分意见</button>",
        ],
        "/ledger": [
            ">校验</button>",
            ">重算</button>",
            "会议纪要",
            ">导入纪要</button>",
            "最近的备份",
        ],
    }
    for path, names in controls.items():
        html = client.get(path).text
        for name in NAV:
            assert f">{name}</a>" in html
        for name in names:
            assert name in html, (path, name)
        # every input is labelled
        for input_id in re.findall(r'<(?:input|select) id="([^"]+)"', html):
            assert f'for="{input_id}"' in html, (path, input_id)


def test_alert_counts_are_links_to_their_lists_and_agree(bench, sample):
    client, _ = bench
    view = overview.run(sample)
    html = client.get("/").text
    overdue = sum(1 for i in view.items if i.alert and i.alert.value == "逾期")
    assert re.search(
        r'tone-red" href="/items\?alert=%E9%80%BE%E6%9C%9F"><span class="label">逾期</span><span class="count">'
        + str(overdue),
        html,
    )
    listed = client.get("/items", params={"alert": "逾期"}).text
    assert f"共 {overdue} 个事项" in listed


def test_filters_and_free_text(bench, sample):
    client, _ = bench
    view = overview.run(sample)
    unit = view.items[0].lead_unit
    expected = sum(1 for i in view.items if i.lead_unit == unit)
    assert f"共 {expected} 个事项" in client.get("/items", params={"unit": unit}).text
    item = next(i for i in view.items if i.id)
    html = client.get("/items", params={"text": item.id}).text
    assert f'href="/items/{item.id}"' in html


def test_an_items_page_shows_its_history(bench, sample):
    client, _ = bench
    view = overview.run(sample)
    with_reports = next(r.item_id for r in view.reports if r.item_id)
    html = client.get(f"/items/{with_reports}").text
    for heading in ("办理记录", "延期记录", "催办记录"):
        assert f"<h2>{heading}</h2>" in html
    progress = next(r.progress for r in view.reports if r.item_id == with_reports and r.progress)
    assert progress in html
    assert "没有事项编号为" in client.get("/items/2099-XX99-99").text


def test_a_ledger_open_in_excel_is_refused_with_the_cli_message(bench, sample, act):
    (sample.parent / f"~${sample.name}").write_bytes(b"\x05admin" + b"\0" * 50)
    before = sha(sample)
    r = act("refresh", {"as_of": "2026-11-20"})
    assert "错误：" in r.text and "Excel" in r.text
    assert sha(sample) == before


def test_download_ids_are_opaque(bench):
    client, _ = bench
    for trick in ("..%2F..%2Fetc%2Fpasswd", "%2e%2e/%2e%2e/台账.xlsx", "a" * 22, "台账.xlsx"):
        r = client.get(f"/download/{trick}")
        assert r.status_code == 404 and "%2F" not in r.text
        assert "只提供工作台本次生成的文件" in r.text


def test_an_oversized_upload_is_refused_before_any_check(bench, sample):
    client, keys = bench
    bench_app = client.app.bench
    bench_app.limits = type(bench_app.limits)(max_file_bytes=1024)
    before = sha(sample)
    r = client.post(
        "/actions/check",
        files={"files": ("反馈表.xlsx", b"x" * 5000)},
        headers={"X-CSRF-Token": keys.csrf, "Origin": f"http://127.0.0.1:{keys.port}"},
    )
    assert r.status_code == 413 and "超过" in r.text and "未接收" in r.text
    assert sha(sample) == before
    assert not any((bench_app.tasks.root / "in").iterdir())  # nothing of it kept
