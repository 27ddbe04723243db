"""Nothing of casework is in Django's admin. Applications, decisions, letters, appeals and tasks
are personal data: the admin is not scoped to a district and writes no access-log row, so they
are read only through the scoped, logged casework pages (DESIGN.md: the admin keeps reference
data and users). folja/core/tests/test_leaks.py checks that no personal-data model is
registered."""
