from audit.cli.main import main

main()
