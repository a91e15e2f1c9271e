from edgegate.cli import main

raise SystemExit(main())
