"""Small helpers shared by test modules."""

from django.test import Client
from django.urls import reverse


def log_in(client: Client, username: str, password: str) -> bool:
    """Log in through the real login form (as a browser does, so django-axes sees the request).

    Django's `Client.login()` authenticates without a request, which django-axes refuses.
    """
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302 and "_auth_user_id" in client.session
