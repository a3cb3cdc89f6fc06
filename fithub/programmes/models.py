"""Programmes and engagements: the frame that every later record hangs on."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords


class DeliveryModel(models.TextChoices):
    IN_FACTORY = "in_factory", _("In-factory")
    CLASSROOM = "classroom", _("Classroom")
    BLENDED = "blended", _("Blended (cascade)")
    LAISSEZ_FAIRE = "laissez_faire", _("Laissez-faire")


class Programme(models.Model):
    owner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_programmes",
    )
    name = models.CharField(_("name"), max_length=200)
    country = CountryField(_("country"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    target_enterprises = models.PositiveIntegerField(_("target number of enterprises"), default=0)
    target_modules_per_enterprise = models.PositiveIntegerField(
        _("target modules per enterprise"), default=4
    )
    providers = models.ManyToManyField(
        "accounts.Organisation",
        verbose_name=_("service providers"),
        related_name="programmes",
        blank=True,
    )
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The programme cannot end before it starts.")})


class Engagement(models.Model):
    """One factory working with one service provider within one programme and cycle."""

    class Status(models.TextChoices):
        PROSPECT = "prospect", _("Prospect")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="engagements"
    )
    factory = models.ForeignKey(
        "factories.Factory",
        verbose_name=_("factory"),
        on_delete=models.PROTECT,
        related_name="engagements",
    )
    provider = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("service provider"),
        on_delete=models.PROTECT,
        related_name="engagements",
    )
    delivery_model = models.CharField(
        _("delivery model"), max_length=20, choices=DeliveryModel.choices
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROSPECT
    )
    cycle = models.PositiveSmallIntegerField(_("cycle"), default=1)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("FIT coordinator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinated_engagements",
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "factory", "provider", "cycle"],
                name="one_engagement_per_cycle",
            )
        ]
        indexes = [
            models.Index(fields=["provider", "status"]),
            # The factories a provider works with (factories_for): an index-only scan.
            models.Index(fields=["provider", "factory"]),
        ]

    def __str__(self) -> str:
        return f"{self.factory} · {self.provider} · {self.programme}"

    def get_absolute_url(self) -> str:
        return reverse("programmes:engagement", args=[self.pk])


class CostItem(models.Model):
    """A price a provider charges itself for delivering sessions (FIT guide: pricing)."""

    class Kind(models.TextChoices):
        FACILITATOR_HOUR = "facilitator_hour", _("Facilitator time, per hour")
        PRINTING = "printing", _("Printing, per participant")
        STATIONERY = "stationery", _("Stationery, per participant")
        MARKETING = "marketing", _("Marketing, per session")
        VENUE = "venue", _("Venue, per session")

    provider = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="cost_items"
    )
    kind = models.CharField(_("item"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    # Prices are money decisions: the audit trail records who set or removed each one.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        constraints = [
            models.UniqueConstraint(fields=["provider", "kind"], name="one_price_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount} {self.currency}"


class Sponsorship(models.Model):
    """A sponsor (for example a buyer) covering part of an engagement's sessions."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="sponsorships"
    )
    sponsor = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="sponsorships"
    )
    share_percent = models.PositiveSmallIntegerField(
        _("share covered (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    # Who agreed that a sponsor pays part of the price: the audit trail records each change.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sponsorship")
        verbose_name_plural = _("sponsorships")

    def __str__(self) -> str:
        return f"{self.sponsor_id}: {self.share_percent}%"
