"""Serializers of `/api/v1/progress/`: the dashboard's headline numbers (selectors.summary), with the
verdicts of tracker.metrics (girth in cm, heel-rise against her target)."""

from rest_framework import serializers

from tracker import metrics
from tracker.api.serializers import (
    GIRTH_ASYMMETRY_HELP,
    GIRTH_GOAL_HELP,
    RedFlagSerializer,
    SymmetrySerializer,
)
from tracker.models import GirthMeasurement

RETEST_HELP = f"Whether that change beats the test-retest error ({metrics.HEEL_RISE_ERROR_REPS} reps)."


class GirthHeadlineSerializer(serializers.Serializer):
    """The girth verdict, judged in centimetres; the girth LSI (in symmetry) is for information."""

    site = serializers.ChoiceField(choices=GirthMeasurement.Site.choices)
    site_label = serializers.CharField()
    date = serializers.DateField(help_text="Date of the latest measurement at this site.")
    left_cm = serializers.FloatField()
    right_cm = serializers.FloatField()
    symmetry = SymmetrySerializer()
    asymmetry = serializers.ChoiceField(
        choices=list(metrics.ASYMMETRY_LABELS.items()), help_text=GIRTH_ASYMMETRY_HELP
    )
    asymmetry_label = serializers.CharField()
    goal_reached = serializers.BooleanField(help_text=GIRTH_GOAL_HELP)
    deficit_cm = serializers.FloatField(help_text="How much smaller the involved calf is (0 if not smaller).")
    gap_cm = serializers.FloatField(help_text="How much smaller the smaller calf is.")
    first_date = serializers.DateField()
    first_lsi = serializers.FloatField(allow_null=True)
    involved_change_cm = serializers.FloatField(
        allow_null=True, help_text="Involved calf since the first measurement."
    )
    involved_change_real = serializers.BooleanField(
        allow_null=True,
        help_text=f"Whether that change beats the measurement error ({metrics.GIRTH_ERROR_CM:g} cm).",
    )
    recent_date = serializers.DateField(
        allow_null=True, help_text=f"The measurement about {metrics.CHANGE_WINDOW_WEEKS} weeks ago."
    )
    recent_change_cm = serializers.FloatField(allow_null=True)
    recent_change_real = serializers.BooleanField(allow_null=True)


class PreviousHeelRiseSerializer(serializers.Serializer):
    """The test just before the latest (null when the latest is her first or second test)."""

    date = serializers.DateField()
    lsi = serializers.FloatField(allow_null=True)
    same_surface = serializers.BooleanField(help_text="False: another incline, the two are not comparable.")
    involved_change = serializers.IntegerField(help_text="Involved leg's rises now minus then.")
    involved_change_real = serializers.BooleanField(help_text=RETEST_HELP)


class HeelRiseHeadlineSerializer(serializers.Serializer):
    """The heel-rise test, judged by LSI against her target."""

    date = serializers.DateField()
    left = serializers.IntegerField()
    right = serializers.IntegerField()
    symmetry = SymmetrySerializer()
    target_lsi = serializers.FloatField(
        help_text=f"Her heel-rise target LSI, % ({metrics.DEFAULT_TARGET_LSI:g} unless set)."
    )
    target_reached = serializers.BooleanField(help_text="LSI at or above the target.")
    zone = serializers.ChoiceField(
        choices=["red", "amber", "green"], allow_null=True,
        help_text=f"LSI zone: red < {metrics.LSI_RED_BELOW:g}%, amber {metrics.LSI_RED_BELOW:g}-"
        f"{metrics.LSI_GREEN_FROM:g}%, green >= {metrics.LSI_GREEN_FROM:g}%; null without an LSI.",
    )
    first_lsi = serializers.FloatField(allow_null=True)
    involved_change = serializers.IntegerField(allow_null=True)
    involved_change_real = serializers.BooleanField(allow_null=True, help_text=RETEST_HELP)
    norm = serializers.IntegerField(
        help_text=f"Reference reps for her sex (or {metrics.HEEL_RISE_NORM_ANY} when not given)."
    )
    previous = PreviousHeelRiseSerializer(
        allow_null=True,
        help_text="The comparison with the test before the latest, when that is not the first.",
    )


class PainHeadlineSerializer(serializers.Serializer):
    date = serializers.DateField(allow_null=True, help_text="Date of the latest session.")
    latest_after = serializers.IntegerField(allow_null=True)
    latest_morning = serializers.IntegerField(allow_null=True)
    breaches = RedFlagSerializer(many=True, help_text="Pain-monitoring rules broken in the last week.")
    recent_sessions = serializers.IntegerField(
        help_text="Sessions in the last week, which the rules judge: with none, an empty `breaches` means "
        "nothing to judge, not rules kept."
    )


class AdherenceSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    done = serializers.IntegerField(help_text="Sessions with a prescribed exercise in start..end.")
    expected = serializers.IntegerField(help_text="Whole sessions the programme expects in start..end.")
    percent = serializers.FloatField(allow_null=True, help_text="Capped at 100; null when none expected.")
    so_far = serializers.BooleanField(help_text="The window holds today, which is not over: counts so far.")


class ProgressSerializer(serializers.Serializer):
    patient = serializers.IntegerField(help_text="The patient's user id.")
    affected_side = serializers.CharField()
    target_lsi = serializers.FloatField(help_text="Her heel-rise target LSI, % (girth has a cm goal).")
    measured_sites = serializers.ListField(
        child=serializers.ChoiceField(choices=GirthMeasurement.Site.choices)
    )
    girth = GirthHeadlineSerializer(allow_null=True)
    heel_rise = HeelRiseHeadlineSerializer(allow_null=True)
    pain = PainHeadlineSerializer()
    adherence = AdherenceSerializer(help_text=f"The last {metrics.ADHERENCE_WINDOW_DAYS} days.")
    this_week = AdherenceSerializer(help_text="Monday to Sunday of this week, sessions so far.")
    red_flags = RedFlagSerializer(many=True, help_text="Urgent flags to act on now.")
    exercise_paused = serializers.BooleanField(
        help_text="An urgent flag pauses her calf exercises and heel-rise tests until she has been "
        "seen: show `this_week` as sessions done, not as sessions still expected (as the dashboard does)."
    )
