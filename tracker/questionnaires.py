"""The outcome questionnaires (patient-reported outcome measures): their items, answers and scoring.

Pure Python, no Django. An instrument's code and version name its wording: a changed wording is a
new version, never an edit, so stored answers always mean what the patient read. The item wording
and the answer options are the published instruments' (sources in `docs/readme/issue-18.md`); the
score ranges and clinically important changes are in `tracker.metrics`.

- **LEFS** (Binkley 1999, Phys Ther 79:371-383): 20 activities, each 0-4; the total is their sum,
  0-80, higher is better.
- **VISA-A** (Robinson 2001, Br J Sports Med 35:335-341): questions 1-7 score 0-10; question 8 is
  answered in one of three parts (A: no pain while doing Achilles tendon loading sports, up to 30;
  B: pain that does not stop the activity, up to 20; C: pain that stops it, up to 10); the total
  is the sum, 0-100, higher is better.

Missing answers stay missing (never 0). Neither publication gives a rule for scoring a form with
unanswered items (both ask for an answer to every item), so a total is given only when every item
is answered; otherwise `score` says which are missing instead of giving a number.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from tracker import metrics

Answer = int | str


@dataclass(frozen=True)
class Option:
    value: Answer  # what is stored
    label: str  # as printed on the instrument
    points: int


@dataclass(frozen=True)
class OptionGroup:
    """Options shown together; VISA-A question 8 has three (A, B, C), every other item one."""

    options: tuple[Option, ...]
    heading: str = ""


@dataclass(frozen=True)
class Item:
    code: str  # "q1", "q2", ...: the key of the answer
    number: int
    text: str
    groups: tuple[OptionGroup, ...]
    note: str = ""  # the instrument's own instruction under the question
    scale: tuple[str, str] | None = None  # the words at 0 and at 10 of a 0-10 scale

    @property
    def is_scale(self) -> bool:
        """A 0-10 scale (drawn as a row of numbers), not a list of worded answers."""
        return [o.value for o in self.options] == list(range(11))

    @property
    def options(self) -> tuple[Option, ...]:
        return tuple(option for group in self.groups for option in group.options)

    def option(self, value: Answer) -> Option | None:
        """The option stored as `value` (of the same type: 4.0 or "4" is not the answer 4)."""
        return next((o for o in self.options if type(o.value) is type(value) and o.value == value), None)


@dataclass(frozen=True)
class Instrument:
    code: str  # "LEFS", "VISA-A"
    version: str
    name: str
    intro: str
    stem: str  # printed before every item ("Today, do you or would you ...")
    items: tuple[Item, ...]
    citation: str
    minutes: int  # how long it takes, for the patient
    item_word: str = "question"
    plural_word: str = "questions"
    score_means: str = ""  # what the score means, in one line

    @property
    def score_range(self) -> tuple[int, int]:
        return metrics.QUESTIONNAIRE_RANGES[self.code]

    @property
    def max_score(self) -> int:
        return self.score_range[1]

    @property
    def mcid(self) -> int:
        return metrics.QUESTIONNAIRE_MCIDS[self.code]

    def item(self, code: str) -> Item | None:
        return next((i for i in self.items if i.code == code), None)


# --- LEFS ------------------------------------------------------------------------------------------

LEFS_OPTIONS = OptionGroup(
    (
        Option(0, "Extreme Difficulty or Unable to Perform Activity", 0),
        Option(1, "Quite a Bit of Difficulty", 1),
        Option(2, "Moderate Difficulty", 2),
        Option(3, "A Little Bit of Difficulty", 3),
        Option(4, "No Difficulty", 4),
    )
)
LEFS_ACTIVITIES = (
    "Any of your usual work, housework, or school activities.",
    "Your usual hobbies, recreational or sporting activities.",
    "Getting into or out of the bath.",
    "Walking between rooms.",
    "Putting on your shoes or socks.",
    "Squatting.",
    "Lifting an object, like a bag of groceries from the floor.",
    "Performing light activities around your home.",
    "Performing heavy activities around your home.",
    "Getting into or out of a car.",
    "Walking 2 blocks.",
    "Walking a mile.",
    "Going up or down 10 stairs (about 1 flight of stairs).",
    "Standing for 1 hour.",
    "Sitting for 1 hour.",
    "Running on even ground.",
    "Running on uneven ground.",
    "Making sharp turns while running fast.",
    "Hopping.",
    "Rolling over in bed.",
)
LEFS = Instrument(
    code="LEFS",
    version="1",
    name="Lower Extremity Functional Scale (LEFS)",
    intro=(
        "We are interested in knowing whether you are having any difficulty at all with the "
        "activities listed below because of your lower limb problem for which you are currently "
        "seeking attention. Please provide an answer for each activity."
    ),
    stem="Today, do you or would you have any difficulty at all with:",
    items=tuple(
        Item(code=f"q{number}", number=number, text=text, groups=(LEFS_OPTIONS,))
        for number, text in enumerate(LEFS_ACTIVITIES, start=1)
    ),
    citation=(
        "Binkley JM, Stratford PW, Lott SA, Riddle DL. The Lower Extremity Functional Scale (LEFS): "
        "scale development, measurement properties, and clinical application. Phys Ther. "
        "1999;79(4):371-383."
    ),
    minutes=3,
    item_word="activity",
    plural_word="activities",
    score_means="the higher the score, the less difficulty you have with everyday activities",
)

# --- VISA-A ----------------------------------------------------------------------------------------

PAIN_SCALE = ("strong severe pain", "no pain")


def _scale(number: int, text: str, scale: tuple[str, str] | None, note: str = "") -> Item:
    """A question answered on a 0-10 scale (10 the best), with the words printed at its ends."""
    zero_to_ten = OptionGroup(tuple(Option(n, str(n), n) for n in range(11)))
    return Item(f"q{number}", number, text, (zero_to_ten,), note=note, scale=scale)


def _minutes(branch: str, points: tuple[int, int, int, int, int]) -> tuple[Option, ...]:
    bands = (("nil", "NIL"), ("1-10", "1-10 mins"), ("11-20", "11-20 mins"), ("21-30", "21-30 mins"),
             ("over-30", ">30 mins"))
    return tuple(
        Option(f"{branch}:{key}", label, score) for (key, label), score in zip(bands, points, strict=True)
    )


VISA_A = Instrument(
    code="VISA-A",
    version="1",
    name="VISA-A questionnaire (Achilles tendon)",
    intro="IN THIS QUESTIONNAIRE, THE TERM PAIN REFERS SPECIFICALLY TO PAIN IN THE ACHILLES TENDON REGION",
    stem="",
    items=(
        _scale(1, "For how many minutes do you have stiffness in the Achilles region on first getting up?",
               ("100 mins", "0 mins")),
        _scale(2, "Once you are warmed up for the day, do you have pain when stretching the Achilles tendon "
               "fully over the edge of a step? (making sure knee is straight)", PAIN_SCALE),
        _scale(3, "After walking on flat ground for 30 minutes, do you have pain within the next 2 hours?",
               PAIN_SCALE, note="(If unable to walk on flat ground for 30 minutes because of pain, score 0 "
               "for this question)."),
        _scale(4, "Do you have pain walking downstairs with a normal gait cycle?", PAIN_SCALE),
        _scale(5, "Do you have pain during or immediately after doing 10 (single leg) heel raises from a "
               "flat surface?", PAIN_SCALE),
        _scale(6, "How many single leg hops can you do without pain?", None),
        Item("q7", 7, "Are you currently undertaking sport or other physical activity?", (OptionGroup((
            Option(0, "Not at all", 0),
            Option(4, "Modified training ± modified competition", 4),
            Option(7, "Full training ± competition but not at same level as when symptoms began", 7),
            Option(10, "Competing at the same or higher level as when symptoms began", 10),
        )),)),
        Item("q8", 8, "Please complete EITHER A, B or C in this question.", (
            OptionGroup(_minutes("A", (0, 7, 14, 21, 30)),
                        "A. If you have no pain while undertaking Achilles tendon loading sports, "
                        "for how long can you train/practise?"),
            OptionGroup(_minutes("B", (0, 4, 10, 14, 20)),
                        "B. If you have some pain while undertaking Achilles tendon loading sports, but "
                        "it does not stop you from completing your training/practice, for how long can "
                        "you train/practise?"),
            OptionGroup(_minutes("C", (0, 2, 5, 7, 10)),
                        "C. If you have pain which stops you from completing your training/practice in "
                        "Achilles tendon loading sports, for how long can you train/practise?"),
        ), note=(
            "If you have no pain while undertaking Achilles tendon loading sports please complete Q8A only. "
            "If you have pain while undertaking Achilles tendon loading sports but it does not stop you "
            "from completing the activity, please complete Q8B only. If you have pain that stops you from "
            "completing Achilles tendon loading sports, please complete Q8C only."
        )),
    ),
    citation=(
        "Robinson JM, Cook JL, Purdam C, et al. The VISA-A questionnaire: a valid and reliable index of "
        "the clinical severity of Achilles tendinopathy. Br J Sports Med. 2001;35(5):335-341."
    ),
    minutes=3,
    score_means=(
        f"100 means no symptoms; {metrics.VISA_A_NEAR_RECOVERY} or more is close to full recovery"
    ),
)

INSTRUMENTS = {instrument.code: instrument for instrument in (LEFS, VISA_A)}
CODES = tuple(INSTRUMENTS)
CHOICES = [(code, instrument.name) for code, instrument in INSTRUMENTS.items()]


def instrument(code: str, version: str | None = None) -> Instrument:
    """The definition of `code` (and `version`, when given); ValueError for an unknown one."""
    found = INSTRUMENTS.get(code)
    if found is None or (version is not None and version != found.version):
        raise ValueError(f"Unknown questionnaire {code!r} version {version!r}.")
    return found


def slug(code: str) -> str:
    """The code as a URL part: "LEFS" -> "lefs", "VISA-A" -> "visa-a"."""
    return code.lower()


def from_slug(value: str) -> str | None:
    return next((code for code in CODES if slug(code) == value), None)


# --- answers and scores ----------------------------------------------------------------------------


def answer_errors(definition: Instrument, answers: Mapping) -> dict[str, str]:
    """What is wrong with `answers` (item code -> value, None = unanswered), by item code."""
    errors = {}
    for code, value in answers.items():
        item = definition.item(code) if isinstance(code, str) else None
        if item is None:
            errors[str(code)] = f"{definition.code} has no item {code!r}."
        elif value is not None and item.option(value) is None:
            allowed = ", ".join(repr(o.value) for o in item.options)
            errors[code] = f"Not an answer to {definition.item_word} {item.number}: choose one of {allowed}."
    return errors


@dataclass(frozen=True)
class Score:
    total: int | None  # None: cannot be scored, see `reason`
    missing: tuple[int, ...]  # the numbers of the unanswered items
    reason: str = ""


def score(definition: Instrument, answers: Mapping) -> Score:
    """The published total, or why there is none. `answers` must be valid (`answer_errors`)."""
    missing = tuple(item.number for item in definition.items if answers.get(item.code) is None)
    if missing:
        word = definition.item_word
        if len(missing) == 1:
            which = f"{word.capitalize()} {missing[0]} was not answered"
        else:
            numbers = ", ".join(str(n) for n in missing)
            which = f"{len(missing)} {definition.plural_word} were not answered ({numbers})"
        return Score(
            None, missing, f"{which}, and the {definition.code} total needs an answer to every {word}."
        )
    total = sum(definition.item(code).option(value).points for code, value in answers.items())
    low, high = definition.score_range
    if not low <= total <= high:  # pragma: no cover - the definitions above cannot reach it
        raise AssertionError(f"{definition.code} total {total} outside {low}-{high}")
    return Score(total, ())


def answer_label(definition: Instrument, code: str, value) -> str:
    """The answer as the patient chose it, e.g. "Moderate Difficulty" or "B. ...: 11-20 mins"."""
    item = definition.item(code)
    if item is None or value is None:
        return "Not answered"
    for group in item.groups:
        for option in group.options:
            if option.value == value:
                prefix = f"{group.heading[:1]}: " if group.heading else ""
                return f"{prefix}{option.label}"
    return "Not answered"


def meaning(definition: Instrument) -> str:
    """One line on what its total means, e.g. "Out of 80: the higher the score, ..."."""
    return f"Out of {definition.max_score}: {definition.score_means}."


# --- the schedule --------------------------------------------------------------------------------


def latest_due_date(
    *, start: datetime.date, repeat_weeks: int | None, day: datetime.date
) -> datetime.date | None:
    """The latest scheduled date on or before `day`: the start, then every `repeat_weeks` weeks
    (None: once only). None before the start. Missed dates do not pile up: only the latest counts."""
    if day < start:
        return None
    if not repeat_weeks:
        return start
    period = datetime.timedelta(weeks=repeat_weeks)
    return start + period * ((day - start) // period)
