"""The loss guard (SPEC §8): what another program added to the ledger is never silently lost.

The ledger is decorated by other programs, not by our code: XlsxWriter rebuilds it (fast), or a
real LibreOffice opens it and inserts a chart, an image and a data bar (slow). Every command
that would save must refuse with exit 4, name what would be lost, and leave the ledger
byte-identical without a backup and without half its outputs. A plain rebuild saves normally,
so it is the decorations that are refused; a chart openpyxl can carry over is kept.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import python_calamine

from ledger_tools.sheets.ledger import schema as sc
from ledger_tools.sheets.ledger.loss_guard import inventory
from ledger_tools.sheets.ledger.package_writer import sheet_parts
from tests.builders import EAST, PERIOD, PNG, fill, sha, xlsxwriter_rebuild
from tests.robustness.corpus import AS_OF, Workshop, rezip
from tests.robustness.helpers import backups, invoke

IMAGE, DATA_BAR, EXTENSION = "图片", "数据条", "扩展内容"
# A chart as LibreOffice writes one inserted before its data were chosen: no plot in the area.
EMPTY_CHART = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
    b'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<c:lang val="en-US"/><c:roundedCorners val="0"/><c:chart><c:autoTitleDeleted val="1"/>'
    b'<c:plotArea/><c:plotVisOnly val="0"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>'
)


def _column(ws_in, header: str) -> str:
    cell = next(c for c in ws_in[1] if c.value == header)
    return cell.column_letter


rebuild = xlsxwriter_rebuild  # (src, dest, *, chart, image, data_bar), in tests/builders.py


class Scene:
    """A copy of the workshop's ledger made by another program, and a valid return for it."""

    def __init__(
        self,
        workshop: Workshop,
        tmp: Path,
        make: Callable[[Path, Path], Path] | None = None,
        **decorations,
    ):
        self.tmp = tmp
        (tmp / "returned").mkdir(parents=True)
        make = make or (lambda src, dest: rebuild(src, dest, **decorations))
        self.ledger = make(workshop.ledger, tmp / "台账.xlsx")
        self.form = fill(workshop.form(EAST), tmp / "returned" / "东城区.xlsx")
        self.sha = sha(self.ledger)

    def writing_commands(self) -> dict[str, list[str]]:
        out = self.tmp / "out"
        return {
            "refresh": ["refresh", self.ledger, "--as-of", "2026-11-23"],
            "merge": ["merge", self.ledger, self.form, "--as-of", AS_OF.isoformat()],
            "brief": [
                "brief",
                self.ledger,
                "--month",
                PERIOD,
                "--out",
                out / "brief",
                "--as-of",
                AS_OF.isoformat(),
            ],
        }

    def assert_untouched(self) -> None:
        assert sha(self.ledger) == self.sha
        assert backups(self.ledger) == []
        assert sorted(
            p.name
            for p in self.ledger.parent.iterdir()
            if p.is_file() and not p.name.startswith(".")
        ) == ["台账.xlsx"]
        out = self.tmp / "out"
        assert not out.exists() or not any(p.is_file() for p in out.rglob("*")), list(
            out.rglob("*")
        )


def test_a_rebuilt_ledger_without_decorations_saves_normally(workshop, tmp_path):
    scene = Scene(workshop, tmp_path)
    result = invoke(*scene.writing_commands()["merge"])
    assert result.exit_code == 0, result.output
    assert sha(scene.ledger) != scene.sha and len(backups(scene.ledger)) == 1


def _unnumbered(path: Path) -> Path:
    """The ledger with 台账's rows written without their numbers (valid, and read by openpyxl):
    a package the package writer is not sure of, so the save goes the openpyxl way."""
    with zipfile.ZipFile(path) as z:
        part = sheet_parts(z)[sc.ITEMS.name]
        data = re.sub(rb'<row r="\d+"', b"<row", z.read(part))
    made = rezip(path, path.with_name("行号.xlsx"), replace={part: data})
    return made.replace(path)


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


@pytest.mark.parametrize(
    "decoration",
    [{"image": True}, {"data_bar": True}, {"chart": True, "image": True, "data_bar": True}],
    ids=["image", "data-bar", "chart-image-and-data-bar"],
)
@pytest.mark.parametrize("command", ["merge", "refresh"])
def test_what_xlsxwriter_added_survives_a_merge_and_a_refresh_byte_for_byte(
    workshop, tmp_path, decoration, command
):
    """SPEC §8 Only what it owns: the save changes the worksheet parts it wrote cells into (and
    styles), and every other part (drawings, images, charts) is carried over as it was."""
    scene = Scene(workshop, tmp_path, **decoration)
    before = _parts(scene.ledger)
    result = invoke(*scene.writing_commands()[command])
    assert result.exit_code == 0, result.output
    after = _parts(scene.ledger)
    assert sorted(after) == sorted(before) and len(backups(scene.ledger)) == 1
    changed = {n for n in before if before[n] != after[n]}
    assert changed and all(
        n.startswith("xl/worksheets/sheet") or n == "xl/styles.xml" for n in changed
    ), changed
    assert inventory(scene.ledger) == inventory(backups(scene.ledger)[0])


@pytest.mark.parametrize(
    ("decoration", "named"),
    [
        ({"image": True}, [IMAGE]),
        ({"data_bar": True}, [EXTENSION, DATA_BAR]),
        ({"chart": True, "image": True, "data_bar": True}, [IMAGE, EXTENSION]),
    ],
    ids=["image", "data-bar", "chart-image-and-data-bar"],
)
def test_where_the_writer_is_unsure_an_openpyxl_save_that_would_drop_something_is_refused(
    workshop, tmp_path, decoration, named
):
    scene = Scene(
        workshop, tmp_path, lambda src, dest: _unnumbered(rebuild(src, dest, **decoration))
    )
    result = invoke(*scene.writing_commands()["merge"])
    assert result.exit_code == 4, result.output
    assert "拒绝保存" in result.output and all(word in result.output for word in named), (
        result.output
    )
    scene.assert_untouched()


def test_refresh_refuses_the_same_way_where_the_writer_is_unsure(workshop, tmp_path):
    scene = Scene(
        workshop,
        tmp_path,
        lambda src, dest: _unnumbered(rebuild(src, dest, chart=True, image=True, data_bar=True)),
    )
    result = invoke(*scene.writing_commands()["refresh"])
    assert result.exit_code == 4, result.output
    assert IMAGE in result.output
    scene.assert_untouched()


def test_brief_records_its_row_without_touching_what_openpyxl_would_drop(workshop, tmp_path):
    """brief rewrites the 月度快照 part alone (the package writer): the chart, image and data bar stay."""
    scene = Scene(workshop, tmp_path, chart=True, image=True, data_bar=True)
    before = inventory(scene.ledger)
    result = invoke(*scene.writing_commands()["brief"])
    assert result.exit_code == 0, result.output
    assert inventory(scene.ledger) == before and len(backups(scene.ledger)) == 1
    rows = (
        python_calamine.CalamineWorkbook.from_path(str(scene.ledger))
        .get_sheet_by_name(sc.SNAPSHOTS.name)
        .to_python()
    )
    assert rows[1][0] == PERIOD


def test_a_chart_openpyxl_can_carry_over_survives_a_merge(workshop, tmp_path):
    scene = Scene(workshop, tmp_path, chart=True)
    result = invoke(*scene.writing_commands()["merge"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(scene.ledger) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        assert "$2:$" in z.read(charts[0]).decode() and "剩余工作日" in z.read(charts[0]).decode()


def _empty_chart(src: Path, dest: Path) -> Path:
    decorated = rebuild(src, dest.with_name("图表.xlsx"), chart=True)
    chart = next(
        n for n in zipfile.ZipFile(decorated).namelist() if n.startswith("xl/charts/chart")
    )
    made = rezip(decorated, dest, replace={chart: EMPTY_CHART})
    decorated.unlink()
    return made


def test_a_chart_openpyxl_cannot_read_is_carried_over_by_the_writer(workshop, tmp_path):
    scene = Scene(workshop, tmp_path / "scene", _empty_chart)
    result = invoke(*scene.writing_commands()["refresh"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(scene.ledger) as z:
        assert EMPTY_CHART in [z.read(n) for n in z.namelist() if n.startswith("xl/charts/")]


def test_a_chart_openpyxl_cannot_read_is_refused_with_a_message_not_a_crash(workshop, tmp_path):
    scene = Scene(
        workshop, tmp_path / "scene", lambda src, dest: _unnumbered(_empty_chart(src, dest))
    )
    result = invoke(*scene.writing_commands()["refresh"])
    assert result.exit_code == 4 and "无法读取的内容" in result.output, result.output
    scene.assert_untouched()
    result = invoke("validate", scene.ledger)  # read-only: it runs, or says why it cannot
    assert result.exit_code in (0, 2), result.output


# --- a real LibreOffice ---------------------------------------------------------------------


@pytest.mark.slow
def test_libreoffice_chart_image_and_data_bar_are_kept_and_refused_only_where_the_writer_is_unsure(
    workshop, tmp_path
):
    from tests.robustness.libreoffice import decorate

    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG)
    ws = openpyxl.load_workbook(workshop.ledger)[sc.ITEMS.name]
    col, last = _column(ws, "剩余工作日"), ws.max_row
    reminders = _column(ws, "催办次数")

    plain = Scene(workshop, tmp_path / "plain", lambda src, dest: decorate(src, dest, []))
    result = invoke(*plain.writing_commands()["merge"])
    assert result.exit_code == 0, result.output

    scene = Scene(
        workshop,
        tmp_path / "decorated",
        lambda src, dest: decorate(
            src,
            dest,
            [
                {"kind": "chart", "sheet": sc.ITEMS.name, "range": f"{reminders}1:{col}{last}"},
                {"kind": "image", "sheet": sc.ITEMS.name, "path": str(logo)},
                {"kind": "databar", "sheet": sc.ITEMS.name, "range": f"{col}2:{col}{last}"},
            ],
        ),
    )
    with zipfile.ZipFile(scene.ledger) as z:
        names = z.namelist()
        assert any(n.startswith("xl/charts/") for n in names) and any(
            n.startswith("xl/media/") for n in names
        )
    decorated = shutil.copy(scene.ledger, tmp_path / "decorated.xlsx")
    before = _parts(scene.ledger)
    for command in ("merge", "refresh"):
        result = invoke(*scene.writing_commands()[command])
        assert result.exit_code == 0, (command, result.output)
    after = _parts(scene.ledger)
    assert sorted(after) == sorted(before)
    kept = [n for n in before if not n.startswith("xl/worksheets/sheet") and n != "xl/styles.xml"]
    assert all(after[n] == before[n] for n in kept), [n for n in kept if after[n] != before[n]]

    unsure = Scene(
        workshop,
        tmp_path / "unsure",
        lambda src, dest: _unnumbered(Path(shutil.copy(decorated, dest))),
    )
    for command in ("merge", "refresh"):
        result = invoke(*unsure.writing_commands()[command])
        assert result.exit_code == 4, (command, result.output)
        assert IMAGE in result.output and EXTENSION in result.output, result.output
        unsure.assert_untouched()
