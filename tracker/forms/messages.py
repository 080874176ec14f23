"""The patient's message to her physiotherapist."""

from django import forms

from tracker.models import MESSAGE_MAX_LENGTH


class MessageForm(forms.Form):
    text = forms.CharField(
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write your message first."},
    )
    # Carried only; the view looks the note up among hers (a wrong id sends a plain message).
    reply_to = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, physio_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = f"Your message to {physio_name}"
        self.fields["text"].help_text = (
            "For anything urgent (a red, hot, swollen calf, sudden pain), seek medical care now: "
            "do not wait for an answer here."
        )
