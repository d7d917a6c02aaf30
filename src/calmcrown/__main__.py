from calmcrown.cli.app import main

main()
