from ledger_tools.cli.app import main

main()
