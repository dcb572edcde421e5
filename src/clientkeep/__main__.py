"""`python -m clientkeep`: the same command as `clientkeep`."""

from clientkeep.adapters.cli.main import main

if __name__ == "__main__":
    main()
