"""The caseload's filters (the admin's right-hand column), and the record lists' patient filter."""

import datetime

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone

from tracker import metrics
from tracker.access import sees_everything
from tracker.models import User
from tracker.triage.home import needing_attention
from tracker.triage.reasons import Level


class AssignmentFilter(admin.SimpleListFilter):
    """'Unassigned' is the only way a physio sees patients who are not hers (to assign them)."""

    title = "assignment"
    parameter_name = "assignment"

    def lookups(self, request, model_admin):
        if sees_everything(request.user):
            return [("mine", "Assigned to me"), ("unassigned", "Unassigned")]
        return [("unassigned", "Unassigned (to assign to yourself)")]

    def queryset(self, request, queryset):
        if self.value() == "unassigned":
            return queryset.filter(physio__isnull=True)
        if self.value() == "mine":
            return queryset.filter(physio=request.user)
        return queryset


class NeedsAttentionFilter(admin.SimpleListFilter):
    """Patients with any triage reason (the triage home's rules), whether she has seen it or not."""

    title = "needs attention"
    parameter_name = "needs_attention"
    levels = {"any": None, "urgent": Level.URGENT}

    def lookups(self, request, model_admin):
        return [("any", "Any reason"), ("urgent", "Urgent (red flags)")]

    def queryset(self, request, queryset):
        if self.value() not in self.levels:
            return queryset
        ids = needing_attention(
            list(queryset), reviewer=request.user, today=timezone.localdate(), level=self.levels[self.value()]
        )
        return queryset.filter(pk__in=ids)


class _YesNoFilter(admin.SimpleListFilter):
    yes_label = "Yes"
    no_label = "No"

    def condition(self, request) -> Q:
        raise NotImplementedError

    def lookups(self, request, model_admin):
        return [("yes", self.yes_label), ("no", self.no_label)]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(self.condition(request))
        if self.value() == "no":
            return queryset.exclude(self.condition(request))
        return queryset


class RedFlagFilter(_YesNoFilter):
    title = "red flag open"
    parameter_name = "red_flag"

    def condition(self, request):
        return Q(red_flag_count__gt=0)


class NotLoggedFilter(_YesNoFilter):
    title = f"not logged for {metrics.NOT_LOGGED_DAYS}+ days"
    parameter_name = "not_logged"

    def condition(self, request):
        cutoff = timezone.localdate() - datetime.timedelta(days=metrics.NOT_LOGGED_DAYS)
        return Q(last_activity__isnull=True) | Q(last_activity__lte=cutoff)


class LowAdherenceFilter(_YesNoFilter):
    title = f"adherence below {metrics.LOW_ADHERENCE_PERCENT:g}% ({metrics.ADHERENCE_WINDOW_DAYS} days)"
    parameter_name = "low_adherence"

    def condition(self, request):
        return Q(adherence__lt=metrics.LOW_ADHERENCE_PERCENT)


class NewDataFilter(_YesNoFilter):
    title = "not reviewed since new data"
    parameter_name = "new_data"

    def condition(self, request):
        return Q(new_data=True)


class GoalNotReachedFilter(admin.SimpleListFilter):
    """Girth judged in cm (goal: less than 1 cm smaller), heel-rise by LSI against her target: the
    same verdicts as her dashboard (annotated by selectors.caseload)."""

    title = "goal not reached"
    parameter_name = "goal"

    def lookups(self, request, model_admin):
        return [
            ("any", "Girth or heel-rise"),
            ("girth", f"Girth: {metrics.GIRTH_NORMAL_MAX_CM:g} cm or more smaller"),
            ("heel_rise", "Heel-rise LSI below her target"),
        ]

    def queryset(self, request, queryset):
        girth = Q(girth_goal_reached=False)
        heel = Q(heel_target_reached=False)
        conditions = {"any": girth | heel, "girth": girth, "heel_rise": heel}
        if self.value() in conditions:
            return queryset.filter(conditions[self.value()])
        return queryset


class PatientFilter(admin.RelatedOnlyFieldListFilter):
    """A record list's patients by name ("Anna Runner"), not username, as the lists' rows name them."""

    def field_choices(self, field, request, model_admin):
        choices = super().field_choices(field, request, model_admin)
        patients = User.objects.in_bulk([pk for pk, _label in choices])
        named = [(pk, patients[pk].display_name()) for pk, _label in choices]
        return sorted(named, key=lambda choice: choice[1].casefold())
