"""Write an office's own ledger in the old style (and its list of units) to samples/out/.

    python3 samples/old_ledger.py
    ledger adopt "samples/out/市政府常务会议议定事项督查台账（原表）.xlsx" samples/out/新台账.xlsx \
        --units samples/out/单位名单.xlsx --preview samples/out/导入预览.xlsx

The generator is ledger_tools/demo/old_ledger.py: two sheets (2025年, 2026年), a title row,
merged meeting cells, totals rows, a repeated header, odd dates and values no one can read.
"""

from pathlib import Path

from ledger_tools.demo.old_ledger import (
    OLD_LEDGER_NAME,
    UNITS_NAME,
    build_office_units,
    build_old_ledger,
)

if __name__ == "__main__":
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    print(build_old_ledger(out / OLD_LEDGER_NAME))
    print(build_office_units(out / UNITS_NAME))
