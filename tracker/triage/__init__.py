"""The physio's triage: which of her patients need her today, and why, in words.

- `reasons`: what a reason is (`Reason`, its `Level`, its date words) and what a rule is given
  (`Context`: the caseload rows, the physio, today).
- `rules`: the rules themselves, one function each, listed in `rules.RULES`. Each takes the
  caseload rows (`selectors.caseload.annotate_caseload`) and returns reasons in a fixed number of
  queries; its verdict comes from `tracker.metrics` (directly, or through the caseload annotations
  and `selectors.summary`).
- `home`: every rule over many patients (`reasons_by_patient`), the caseload's "needs attention"
  (`needing_attention`) and the triage home (`triage_home`: who has something new, most urgent
  first, and the rest).

To add a reason (e.g. a questionnaire overdue), write one function in `rules.py` (or a module of
its own) and add it to `RULES`: the triage home, the caseload's reasons column and its "needs
attention" filter all pick it up.
"""
