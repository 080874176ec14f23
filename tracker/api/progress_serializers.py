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
        allow_null=True, help_text="Whether that change beats the measurement error (1.0 cm)."
    )
    recent_date = serializers.DateField(allow_null=True, help_text="The measurement about 4 weeks ago.")
    recent_change_cm = serializers.FloatField(allow_null=True)
    recent_change_real = serializers.BooleanField(allow_null=True)


class PreviousHeelRiseSerializer(serializers.Serializer):
    """The test just before the latest (null when the latest is her first or second test)."""

    date = serializers.DateField()
    lsi = serializers.FloatField(allow_null=True)
    same_surface = serializers.BooleanField(help_text="False: another incline, the two are not comparable.")
    involved_change = serializers.IntegerField(help_text="Involved leg's rises now minus then.")
    involved_change_real = serializers.BooleanField(
        help_text="Whether that change beats the test-retest error (6 reps)."
    )


class HeelRiseHeadlineSerializer(serializers.Serializer):
    """The heel-rise test, judged by LSI against her target."""

    date = serializers.DateField()
    left = serializers.IntegerField()
    right = serializers.IntegerField()
    symmetry = SymmetrySerializer()
    target_lsi = serializers.FloatField(help_text="Her heel-rise target LSI, % (90 unless set).")
    target_reached = serializers.BooleanField(help_text="LSI at or above the target.")
    zone = serializers.ChoiceField(
        choices=["red", "amber", "green"], allow_null=True,
        help_text="LSI zone: red < 80%, amber 80-90%, green >= 90%; null without an LSI.",
    )
    first_lsi = serializers.FloatField(allow_null=True)
    involved_change = serializers.IntegerField(allow_null=True)
    involved_change_real = serializers.BooleanField(
        allow_null=True, help_text="Whether that change beats the test-retest error (6 reps)."
    )
    norm = serializers.IntegerField(help_text="Reference reps for her sex (or 28 when not given).")
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
    adherence = AdherenceSerializer(help_text="The last 14 days.")
    this_week = AdherenceSerializer(help_text="Monday to Sunday of this week, sessions so far.")
    red_flags = RedFlagSerializer(many=True, help_text="Urgent flags to act on now.")
