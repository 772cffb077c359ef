from ledger_tools.cli import main

main()
