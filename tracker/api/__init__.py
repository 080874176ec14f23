"""The REST API under /api/v1/ (issue #8): Django REST framework + drf-spectacular."""
