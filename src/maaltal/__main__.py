from maaltal.cli import main

main()
