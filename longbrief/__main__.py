from longbrief.cli import main

main()
