import sys

from folja.cli import main

sys.exit(main())
