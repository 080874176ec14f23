"""Helpers shared by the API test modules (tests/test_api_*.py)."""

from rest_framework.test import APIClient

from tracker.models import User
from tracker.services.tokens import create_token


def token_client(user: User, *, name: str = "test") -> APIClient:
    """An API client sending `Authorization: Bearer <a new token of user>`."""
    _token, secret = create_token(user=user, name=name)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def error_messages(response, field: str) -> list[str]:
    """The messages of a 400 for one field, as plain strings."""
    return [str(message) for message in response.json()[field]]
