import sys

from tools.course.cli import main

sys.exit(main())
