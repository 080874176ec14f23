"""The patient's answer to one questionnaire item (one question per screen)."""

from django import forms

from tracker.questionnaires import Item

CHOOSE_OR_SKIP = "Choose an answer, or press “Skip this question”."


class AnswerForm(forms.Form):
    """One item's options as radio buttons; the answer comes back as the instrument's stored value."""

    answer = forms.ChoiceField(required=False, widget=forms.RadioSelect)

    def __init__(self, *args, item: Item, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["answer"].choices = [(str(option.value), option.label) for option in item.options]
        self.fields["answer"].label = item.text

    def clean_answer(self):
        chosen = self.cleaned_data["answer"]
        if chosen in (None, ""):
            return None
        return next(option.value for option in self.item.options if str(option.value) == chosen)
