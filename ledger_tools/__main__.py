from ledger_tools.cli.commands import main

main()
