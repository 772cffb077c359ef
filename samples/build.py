"""Write the sample ledger (the one `ledger demo` uses) to samples/out/.

    python3 samples/build.py [REFERENCE_DATE]

Deterministic: the same reference date gives the same workbook content.
"""

import datetime as dt
import sys
from pathlib import Path

from ledger_tools.demo.sample import REFERENCE_DATE, build_sample

if __name__ == "__main__":
    ref = dt.date.fromisoformat(sys.argv[1]) if len(sys.argv) > 1 else REFERENCE_DATE
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    target = out / f"督查台账-示例-{ref}.xlsx"
    target.unlink(missing_ok=True)
    print(build_sample(target, ref))
