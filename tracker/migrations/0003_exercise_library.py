"""The exercise library of docs/clinical-rules.md; physios add more in the admin."""

from django.db import migrations

EXERCISES = [
    # name, slug, kind, target, knee, measured in, default sets, default amount, dosage, instructions
    ("Double-leg calf raise", "double-leg-calf-raise", "strength", "triceps_surae", "straight",
     "reps", 3, 15, "3 x 15",
     "Stand on both feet, rise onto your toes as high as you can, lower slowly."),
    ("Single-leg calf raise", "single-leg-calf-raise", "strength", "gastrocnemius", "straight",
     "reps", 3, 12, "3 x 12, add load when easy",
     "Stand on one leg with the knee straight, fingertips on a wall; rise fully, lower slowly."),
    ("Seated calf raise", "seated-calf-raise", "strength", "soleus", "bent",
     "reps", 3, 15, "3 x 15",
     "Sit with the knees bent at 90 degrees and a weight on the thighs; lift the heels."),
    ("Eccentric heel drop, knee straight", "eccentric-heel-drop-straight", "eccentric",
     "gastrocnemius", "straight", "reps", 3, 15, "Alfredson: 3 x 15, twice daily, 12 weeks",
     "On a step, rise on both feet, shift onto the affected leg and lower the heel slowly below the step."),
    ("Eccentric heel drop, knee bent", "eccentric-heel-drop-bent", "eccentric", "soleus", "bent",
     "reps", 3, 15, "Alfredson: 3 x 15, twice daily, 12 weeks",
     "As the straight-knee heel drop, with the knee slightly bent to load the soleus."),
    ("Heavy slow calf raise", "heavy-slow-calf-raise", "strength", "triceps_surae", "straight",
     "reps", 3, 15, "HSR: 3 x/week, 3 s up 3 s down, 3x15RM -> 4x6RM over 12 weeks",
     "Three seconds up, three seconds down, with a load you can lift only the prescribed number of times."),
    ("Wall gastrocnemius stretch", "wall-gastrocnemius-stretch", "stretch", "gastrocnemius",
     "straight", "seconds", 3, 30, "3 x 30 s",
     "Hands on a wall, back leg straight with the heel down; lean forward until you feel the calf stretch."),
    ("Soleus stretch", "soleus-stretch", "stretch", "soleus", "bent", "seconds", 3, 30, "3 x 30 s",
     "As the wall stretch, with the back knee bent and the heel down."),
    ("Deep-water running", "deep-water-running", "cardio", "whole_leg", "any", "minutes", 1, 30,
     "20-40 min", "Run in the deep end with a flotation belt, feet off the bottom."),
    ("Stationary cycling", "stationary-cycling", "cardio", "whole_leg", "any", "minutes", 1, 25,
     "20-30 min", "Seat high enough that the knee is almost straight at the bottom of the stroke."),
    ("Trigger point self-release (ball)", "trigger-point-self-release", "soft_tissue",
     "gastrocnemius", "any", "seconds", 4, 75, "60-90 s per point",
     "Rest the calf on a ball over the tender point; hold gentle pressure until it eases."),
    ("Foam rolling, calf", "foam-rolling-calf", "soft_tissue", "triceps_surae", "any", "minutes",
     1, 2, "1-2 min per leg", "Roll slowly from the ankle to below the knee."),
]


def add_exercises(apps, schema_editor):
    Exercise = apps.get_model("tracker", "Exercise")
    for (name, slug, kind, target, knee, measured_in, sets, amount, dosage, instructions) in EXERCISES:
        Exercise.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "target": target,
                "knee_position": knee,
                "measured_in": measured_in,
                "default_sets": sets,
                "default_amount": amount,
                "default_dosage": dosage,
                "instructions": instructions,
            },
        )


def remove_exercises(apps, schema_editor):
    apps.get_model("tracker", "Exercise").objects.filter(
        slug__in=[row[1] for row in EXERCISES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("tracker", "0002_physiotherapists_group")]

    operations = [migrations.RunPython(add_exercises, remove_exercises)]
