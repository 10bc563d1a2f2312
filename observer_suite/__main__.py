from observer_suite.cli import main

main()
