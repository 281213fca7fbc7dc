from django.db import models


class Sequence(models.Model):
    """A gap-free counter per key and year (application references, later permit numbers).

    Incremented only under a row lock inside the caller's transaction, so a rolled-back caller
    gives its number back and two concurrent callers never share one.
    """

    key = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "year"], name="sequence_key_year")]

    def __str__(self) -> str:
        return f"{self.key}/{self.year}: {self.last_value}"


class FormSubmission(models.Model):
    """A form token, spent once: a double click or a retry finds it and does nothing twice."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        "licensing.User", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    result_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.token
