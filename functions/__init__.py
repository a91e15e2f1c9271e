"""Thin Lambda handlers: event -> typed request -> one domain call -> HTTP response.

In Lambda the package carries its third-party dependencies under build/vendor (built by
`make vendor` for python3.12 x86_64; see serverless.yml). They go on sys.path only there:
locally the virtualenv provides them, and the vendored wheels are for another interpreter.
"In Lambda" means LAMBDA_TASK_ROOT is the directory holding this package: serverless-offline
sets LAMBDA_TASK_ROOT=/var/task while running the checkout on the local Python.
"""

import os as _os
import sys as _sys

_ROOT = _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__)))
_VENDOR = _os.path.join(_ROOT, "build", "vendor")
_TASK_ROOT = _os.environ.get("LAMBDA_TASK_ROOT", "")
if (
    _TASK_ROOT
    and _os.path.realpath(_TASK_ROOT) == _os.path.realpath(_ROOT)
    and _os.path.isdir(_VENDOR)
    and _VENDOR not in _sys.path
):
    _sys.path.insert(0, _VENDOR)
