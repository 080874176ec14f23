""""How to do it" for the twelve library exercises, their drawings, their first audit-history rows,
and the physios' permissions for the new records (photos and videos, programme steps).

The text is clinic content: after this migration it lives on the Exercise rows, where a superuser
can change it in the admin (with its history). Written in plain words from docs/clinical-rules.md
and the seed texts; steps and mistakes are one per line.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils import timezone

STOP_PAIN = (
    "Pain up to 5/10 during and after is acceptable if it settles by the next morning. Stop and "
    "contact your physiotherapist if pain goes above 5/10, if the calf suddenly swells, turns red or "
    "warm, or if you feel a sudden sharp pain or a \"pop\"."
)

GUIDES = {
    "double-leg-calf-raise": dict(
        instructions="Rise onto the balls of both feet and lower slowly.",
        starting_position="Stand tall on both feet, hip-width apart, on a flat floor. Rest your fingertips "
        "on a wall or the back of a chair for balance, not for lifting.",
        steps="Push through the balls of both feet and lift your heels as high as you can.\n"
        "Keep your knees straight and your weight over your big toes.\n"
        "Pause for a moment at the top.\n"
        "Lower your heels slowly back to the floor.",
        tempo="About 2 seconds up, a short pause, 2-3 seconds down.",
        what_you_feel="Work in both calves, a tired or burning feeling by the end of each set.",
        common_mistakes="Rolling out onto the little toes.\nBending the knees to bounce up.\n"
        "Dropping the heels quickly instead of lowering them.\nPulling yourself up with your hands.",
        when_to_stop=STOP_PAIN,
    ),
    "single-leg-calf-raise": dict(
        instructions="On one leg with the knee straight, rise fully and lower slowly.",
        starting_position="Stand on the leg you are training, knee straight, the other foot lifted "
        "behind you. Fingertips on a wall for balance.",
        steps="Push up through the ball of your foot and lift the heel as high as you can.\n"
        "Keep the knee straight all the way: this works the gastrocnemius.\n"
        "Pause at the top.\nLower the heel slowly to the floor.",
        tempo="2 seconds up, a short pause, 3 seconds down.",
        what_you_feel="Effort in the calf of the standing leg, most in the upper calf.",
        common_mistakes="Leaning on the wall to help the lift.\nBending the knee.\n"
        "Not rising as high on the weaker leg as on the other.\nHurrying the way down.",
        when_to_stop=STOP_PAIN + " When 3 sets feel easy, your physiotherapist may add weight.",
    ),
    "seated-calf-raise": dict(
        instructions="Sitting with knees bent at 90°, a weight on the thighs, lift the heels.",
        starting_position="Sit on a chair with your knees bent at a right angle and your feet flat, "
        "hip-width apart. Rest a weight (a bag or dumbbell) on your thighs just above the knees.",
        steps="Press down through the balls of your feet and lift both heels as high as you can.\n"
        "Keep your knees bent: this works the soleus, the deep calf muscle.\n"
        "Pause at the top.\nLower the heels slowly to the floor.",
        tempo="2 seconds up, a short pause, 3 seconds down.",
        what_you_feel="Work low down in the calf, towards the Achilles tendon.",
        common_mistakes="Lifting the weight with your hands.\nRocking the body forward.\n"
        "Only half lifting the heels.",
        when_to_stop=STOP_PAIN,
    ),
    "eccentric-heel-drop-straight": dict(
        instructions="On a step, rise on both feet, shift onto the affected leg and lower the heel "
        "slowly below the step.",
        starting_position="Stand with the balls of both feet on the edge of a stair, heels over the "
        "edge, a hand on the rail. Rise onto your toes using both legs.",
        steps="Take your weight onto the affected leg and lift the other foot.\n"
        "With the knee straight, lower the heel slowly below the level of the step.\n"
        "Put the other foot back down.\n"
        "Rise back onto your toes using both legs (or the other leg), not the affected one.",
        tempo="About 3 seconds down; the way up uses the other leg.",
        what_you_feel="A strong stretch and effort in the calf and Achilles tendon. Some pain is "
        "allowed in this protocol.",
        common_mistakes="Pushing back up with the affected leg.\nBending the knee.\n"
        "Dropping fast instead of lowering.\nStopping at step level instead of going below it.",
        when_to_stop=STOP_PAIN + " When it is easy and pain-free, your plan adds 5 kg in a backpack.",
    ),
    "eccentric-heel-drop-bent": dict(
        instructions="As the straight-knee heel drop, with the knee slightly bent to load the soleus.",
        starting_position="Stand with the balls of both feet on the edge of a stair, heels over the "
        "edge, a hand on the rail. Rise onto your toes using both legs, then bend your knees slightly.",
        steps="Take your weight onto the affected leg and lift the other foot.\n"
        "Keep the knee slightly bent and lower the heel slowly below the level of the step.\n"
        "Put the other foot back down.\n"
        "Rise back onto your toes using both legs, not the affected one.",
        tempo="About 3 seconds down; the way up uses the other leg.",
        what_you_feel="Effort lower in the calf and in the Achilles tendon. Some pain is allowed.",
        common_mistakes="Straightening the knee on the way down.\nBending the knee more and more "
        "instead of lowering the heel.\nPushing up with the affected leg.",
        when_to_stop=STOP_PAIN + " When it is easy and pain-free, your plan adds 5 kg in a backpack.",
    ),
    "heavy-slow-calf-raise": dict(
        instructions="Three seconds up, three seconds down, with a load you can lift only the "
        "prescribed number of times.",
        starting_position="Stand with the balls of your feet on a weight plate or low step, heels on "
        "the floor, carrying the load (a heavy backpack, dumbbells or a machine). Fingertips on a wall.",
        steps="Count 3 seconds while you rise as high as you can onto your toes.\n"
        "Keep your knees straight.\nCount 3 seconds while you lower the heels all the way down.\n"
        "Repeat until the set is done: the last repetitions should be hard but still slow.",
        tempo="3 seconds up, 3 seconds down, no bouncing.",
        what_you_feel="Heavy work in both calves; the last repetitions of each set are hard.",
        common_mistakes="Going faster as you tire.\nA load so light the set is easy, or so heavy the "
        "movement gets short.\nBending the knees to help.",
        when_to_stop=STOP_PAIN + " Rest at least a day between these sessions.",
    ),
    "wall-gastrocnemius-stretch": dict(
        instructions="Hands on a wall, back leg straight with the heel down; lean forward until you "
        "feel the calf stretch.",
        starting_position="Face a wall with your hands on it at shoulder height. Step the leg to "
        "stretch a long step back, toes pointing forward, heel on the floor.",
        steps="Bend the front knee and move your hips towards the wall.\n"
        "Keep the back knee straight and the back heel pressed to the floor.\n"
        "Stop where you feel a firm stretch in the upper calf and hold it.\n"
        "Come back up slowly and repeat.",
        tempo="Hold each stretch for the prescribed time (usually 30 seconds), breathing normally.",
        what_you_feel="A steady stretch in the upper calf, behind the knee or mid-calf. Not pain.",
        common_mistakes="Lifting the back heel.\nTurning the back foot out.\nBending the back knee.\n"
        "Bouncing.",
        when_to_stop="Ease off if it hurts rather than stretches. Stop and contact your "
        "physiotherapist if you feel sharp pain, or the calf is swollen, red or warm.",
    ),
    "soleus-stretch": dict(
        instructions="As the wall stretch, with the back knee bent and the heel down.",
        starting_position="Face a wall with your hands on it. Step the leg to stretch a short step "
        "back, heel on the floor.",
        steps="Bend both knees and sink straight down.\nKeep the back heel on the floor.\n"
        "Stop where you feel the stretch low in the calf and hold it.\nCome back up slowly.",
        tempo="Hold each stretch for the prescribed time (usually 30 seconds).",
        what_you_feel="A stretch low in the calf, above the heel. Not pain.",
        common_mistakes="Lifting the back heel.\nLeaning forward instead of bending the knees.",
        when_to_stop="Ease off if it hurts rather than stretches. Stop and contact your "
        "physiotherapist if you feel sharp pain, or the calf is swollen, red or warm.",
    ),
    "deep-water-running": dict(
        instructions="Run in the deep end with a flotation belt, feet off the bottom.",
        starting_position="In the deep end of a pool, wearing a flotation belt, upright with your head "
        "above the water and your feet clear of the bottom.",
        steps="Run as you would on land: drive one knee up in front.\n"
        "Sweep that leg down and back while the other knee comes up.\n"
        "Swing your arms as when running, elbows bent.\n"
        "Stay tall; you should move forward only slowly.",
        tempo="A steady running rhythm for the prescribed minutes; add short faster spells if your "
        "physiotherapist says so.",
        what_you_feel="Breathing harder and warm legs, with no jolt through the calf.",
        common_mistakes="Leaning far forward (swimming instead of running).\nCycling the feet in small "
        "circles.\nTouching the pool floor.",
        when_to_stop=STOP_PAIN,
    ),
    "stationary-cycling": dict(
        instructions="Seat high enough that the knee is almost straight at the bottom of the stroke.",
        starting_position="Sit on an exercise bike with the saddle set so your knee is almost, but not "
        "fully, straight when the pedal is at the bottom. Balls of the feet on the pedals.",
        steps="Start pedalling with light resistance.\nKeep a smooth, even rhythm.\n"
        "Raise the resistance only as far as your physiotherapist advised.\n"
        "Ease off for the last few minutes.",
        tempo="A steady pace for the prescribed minutes (often 20-30).",
        what_you_feel="Warm, working legs and breathing a little harder.",
        common_mistakes="A saddle set too low (knees bend a lot, calves cramp).\n"
        "Pedalling on the toes with the heels high.\nToo much resistance too early.",
        when_to_stop=STOP_PAIN,
    ),
    "trigger-point-self-release": dict(
        instructions="Rest the calf on a ball over the tender point; hold gentle pressure until it eases.",
        starting_position="Sit on the floor with your hands behind you and the leg straight. Place a "
        "tennis or massage ball under the calf on the tender spot: often an inch or two below the "
        "back of the knee on the inner side.",
        steps="Let the weight of your leg rest on the ball.\n"
        "Hold still and breathe slowly; the tenderness should ease within a minute or so.\n"
        "For more pressure, cross the other leg over the top.\n"
        "Move the ball a little and repeat on the next tender spot.",
        tempo="Hold each spot for 60-90 seconds.",
        what_you_feel="A tender ache that eases while you hold. It can spread over the calf or into "
        "the instep; that is normal for these spots.",
        common_mistakes="Pressing so hard you tense up or hold your breath.\n"
        "Rolling fast over the spot instead of holding.",
        when_to_stop="If you tense up, pull away or hold your breath, the pressure is too much: ease "
        "off. Never press on a calf that is swollen, red or warm: contact your physiotherapist or "
        "doctor today.",
    ),
    "foam-rolling-calf": dict(
        instructions="Roll slowly from the ankle to below the knee.",
        starting_position="Sit on the floor with the roller under the calf just above the ankle, "
        "hands on the floor behind you. Lift your hips.",
        steps="Roll slowly up the calf by moving your body forward.\n"
        "Stop just below the back of the knee.\nRoll slowly back down to the ankle.\n"
        "Turn the leg a little in or out to reach the inner and outer calf.",
        tempo="Slow: about 2-3 cm a second, for 1-2 minutes per leg.",
        what_you_feel="Firm pressure and some tenderness that eases as you go.",
        common_mistakes="Rolling fast.\nRolling behind the knee.\nHolding your breath.",
        when_to_stop="Ease off if it is painful rather than tender. Never roll a calf that is "
        "swollen, red or warm: contact your physiotherapist or doctor today.",
    ),
}

PHYSIO_PERMISSIONS = {"exercisemedia": ["view", "add", "change", "delete"],
                      "programmestep": ["view", "add", "change", "delete"]}


def fill_guides(apps, schema_editor):
    Exercise = apps.get_model("tracker", "Exercise")
    HistoricalExercise = apps.get_model("tracker", "HistoricalExercise")
    for slug, fields in GUIDES.items():
        Exercise.objects.filter(slug=slug).update(illustration=slug, **fields)
    # The starting version of every exercise, so that its history begins with what was there.
    now = timezone.now()
    for exercise in Exercise.objects.all():
        values = {field.attname: getattr(exercise, field.attname) for field in Exercise._meta.concrete_fields}
        HistoricalExercise.objects.create(
            **values, history_date=now, history_type="+", history_change_reason="Library as installed"
        )


def empty_guides(apps, schema_editor):
    Exercise = apps.get_model("tracker", "Exercise")
    Exercise.objects.filter(slug__in=GUIDES).update(
        illustration="", starting_position="", steps="", tempo="", what_you_feel="",
        common_mistakes="", when_to_stop="",
    )
    apps.get_model("tracker", "HistoricalExercise").objects.all().delete()


def grant_permissions(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Physiotherapists").first()
    if group is None:
        return
    codenames = [f"{action}_{model}" for model, actions in PHYSIO_PERMISSIONS.items() for action in actions]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="tracker", codename__in=codenames))


def revoke_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Physiotherapists").first()
    if group is not None:
        codenames = [f"{a}_{m}" for m, actions in PHYSIO_PERMISSIONS.items() for a in actions]
        group.permissions.remove(*Permission.objects.filter(codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("tracker", "0007_exercise_guides_media_progression")]

    operations = [
        migrations.RunPython(fill_guides, empty_guides),
        migrations.RunPython(grant_permissions, revoke_permissions),
    ]
