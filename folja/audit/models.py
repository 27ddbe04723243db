"""What happened and who looked. Both tables are append-only: AccessLog for reads of personal
data, AuditEvent for writes. On PostgreSQL a trigger rejects UPDATE and DELETE (migration 0002)."""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet

from folja.accounts.models import Role


class AccessLogQuerySet(QuerySet):
    def visible_to(self, user) -> AccessLogQuerySet:
        """Unit managers review their own district's log; administrators (the data protection
        officer's export) see all of it; nobody else sees the log."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.role == Role.UNIT_MANAGER:
            return self.filter(person_district_id=user.district_id)
        if user.role == Role.ADMINISTRATOR:
            return self.all()
        return self.none()


class AccessLog(models.Model):
    at = models.DateTimeField(db_index=True)
    user = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL)
    username = models.CharField(max_length=150)
    role = models.CharField(max_length=32)
    # The person's pseudonym survives culling; the FK is cleared when the person is culled.
    person = models.ForeignKey(
        "people.Person",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    person_pseudonym = models.CharField(max_length=32, db_index=True)
    person_district_id = models.BigIntegerField(null=True, db_index=True)
    protected = models.BooleanField(default=False)
    in_caseload = models.BooleanField(default=True)
    what = models.CharField(max_length=100)
    path = models.CharField(max_length=300, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]


class AuditEvent(models.Model):
    at = models.DateTimeField(db_index=True)
    user = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL)
    username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    person_pseudonym = models.CharField(max_length=32, blank=True, db_index=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]


class CullingRecord(models.Model):
    """What was culled (gallrat), when, and on whose approval. Holds no personal data: the
    pseudonym is what follow-up statistics keep for the person."""

    person_pseudonym = models.CharField(max_length=32, db_index=True)
    person_district_id = models.BigIntegerField(null=True)
    last_entry_on = models.DateField()
    due_by = models.DateField()
    culled_at = models.DateTimeField(db_index=True)
    approved_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL)
    approved_by_username = models.CharField(max_length=150)
    # Per table: how many rows were cleared or removed, e.g. {"assessments": 2}.
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-culled_at", "-id"]
