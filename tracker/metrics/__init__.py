"""Every clinical number and rule of Calf Rehab Tracker, as pure Python.

The rules and their sources are written up in ``docs/clinical-rules.md``; this package is their one
home in code: pages, charts, the PDF, the API, the caseload and e-mails all take their numbers and
verdicts from here. Standard library only: no Django, no ORM. Inputs may be ``float``, ``int`` or
``Decimal``; results are ``float``. Messages tell the person what to do, never what they have.

One module per kind of rule, all importable from here (``from tracker import metrics``, then
``metrics.girth_verdict``): ``base`` (the numbers and labels), ``measures`` (symmetry, verdicts, real
change, norms), ``flags`` (red flags, pain rules, heel-rise decline), ``adherence`` (volume, expected
sessions), ``followup`` (questionnaire changes, implausible dates), ``reminders``.
"""

from tracker.metrics.adherence import *  # noqa: F403
from tracker.metrics.base import *  # noqa: F403
from tracker.metrics.base import _check_choice, _round  # noqa: F401
from tracker.metrics.flags import *  # noqa: F403
from tracker.metrics.followup import *  # noqa: F403
from tracker.metrics.measures import *  # noqa: F403
from tracker.metrics.reminders import *  # noqa: F403
