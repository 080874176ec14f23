"""The API's JSON parser: DRF's, with JSON nested too deeply for Python's parser as a 400."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            # e.g. "[" * 3000: Python's json module recurses once per level and gives up.
            raise ParseError("JSON parse error - the data is nested too deeply.") from None
