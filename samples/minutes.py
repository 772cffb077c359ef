"""Write the sample 会议纪要 (the one `ledger demo` starts from) to samples/out/.

    python3 samples/minutes.py

The generator is ledger_tools/demo/minutes.py (``build_minutes``): Word automatic numbering,
a task table, units by alias and two not in the sample ledger's 单位, the usual deadline
phrases and one decision without a concrete requirement.
"""

from pathlib import Path

from ledger_tools.demo.minutes import TITLE, build_minutes

if __name__ == "__main__":
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    print(build_minutes(out / f"{TITLE}.docx"))
