"""The physio's triage: which of her patients need her today, and why, in words.

- `reasons`: what a reason is (`Reason`, its `Level`), how the reasons of many patients are
  gathered in a fixed number of queries (`reasons_by_patient`), and the triage home
  (`triage_home`: the patients with something new, most urgent first, and the rest).
- `rules`: the rules themselves, one function each, listed in `rules.RULES`. Each takes the
  caseload rows (`selectors.caseload.annotate_caseload`) and returns reasons; its verdict comes
  from `tracker.metrics` (directly, or through the caseload annotations and `selectors.summary`).

To add a reason (e.g. a questionnaire overdue), write one function in `rules.py` (or a module of
its own) and add it to `RULES`: the triage home, the caseload's reasons column and its "needs
attention" filter all pick it up.
"""
