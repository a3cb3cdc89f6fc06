"""The factory registry: factories, their identifiers, improvement teams, and access requests."""

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from fithub.lib.text import fold

# Open Supply Hub IDs look like BD2019085AQ1Y2N: a country code, then 7 digits, then 6
# letters or digits. Older OAR IDs follow the same shape.
OS_ID_VALIDATOR = RegexValidator(
    r"^[A-Z]{2}\d{7}[A-Z0-9]{6}$",
    _("An Open Supply Hub ID looks like BD2019085AQ1Y2N."),
)


class Sector(models.TextChoices):
    TEXTILE = "textile", _("Textile")
    GARMENTS = "garments", _("Ready-made garments")
    KNITWEAR = "knitwear", _("Knitwear")
    DENIM = "denim", _("Denim")
    FOOTWEAR = "footwear", _("Footwear")
    ACCESSORIES = "accessories", _("Accessories")
    HOME_TEXTILES = "home_textiles", _("Home textiles")
    OTHER = "other", _("Other")


class Tier(models.TextChoices):
    DIRECT = "direct", _("Direct supplier")
    SUBCONTRACTOR = "subcontractor", _("Subcontractor")
    UNKNOWN = "unknown", _("Not known")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other / prefer not to say")


class Department(models.TextChoices):
    MANAGEMENT = "management", _("Management")
    CUTTING = "cutting", _("Cutting")
    SEWING = "sewing", _("Sewing")
    FINISHING = "finishing", _("Finishing")
    STOREROOM = "storeroom", _("Storeroom / warehouse")
    QUALITY = "quality", _("Quality")
    MAINTENANCE = "maintenance", _("Maintenance")
    HR = "hr", _("Human resources")
    COMPLIANCE = "compliance", _("Compliance")
    OTHER = "other", _("Other")


SEARCHED = ("name", "city", "address", "os_id")


class FactoryQuerySet(models.QuerySet["Factory"]):
    def update(self, **kwargs: Any) -> int:
        # An UPDATE of a searched field skips save(): fold the search column of those rows too.
        if not set(kwargs) & set(SEARCHED):
            return super().update(**kwargs)
        pks = list(self.values_list("pk", flat=True))
        count = super().update(**kwargs)
        rows = list(Factory.objects.filter(pk__in=pks).only(*SEARCHED))
        for row in rows:
            row.refresh_search_text()
        Factory.objects.bulk_update(rows, ["search_text"], batch_size=500)
        return count


class Factory(models.Model):
    name = models.CharField(_("name"), max_length=200)
    os_id = models.CharField(
        _("Open Supply Hub ID"),
        max_length=15,
        unique=True,
        null=True,
        blank=True,
        validators=[OS_ID_VALIDATOR],
    )
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    product_types = models.CharField(
        _("product types"), max_length=300, blank=True, help_text=_("For example: shirts, trousers")
    )
    tier = models.CharField(
        _("supply-chain tier"), max_length=20, choices=Tier.choices, default=Tier.UNKNOWN
    )
    workers_female = models.PositiveIntegerField(_("women workers"), null=True, blank=True)
    workers_male = models.PositiveIntegerField(_("men workers"), null=True, blank=True)
    # The hours the factory says women workers can attend training (FIT gender guidance):
    # sessions planned outside them get a warning.
    women_available_from = models.TimeField(_("women can attend from"), null=True, blank=True)
    women_available_until = models.TimeField(_("women can attend until"), null=True, blank=True)
    score_graduate = models.BooleanField(_("SCORE graduate"), default=False)
    better_work = models.BooleanField(_("Better Work factory"), default=False)
    consent_date = models.DateField(
        _("date of consent to join"),
        null=True,
        blank=True,
        help_text=_("The day the factory agreed to take part and to have its data recorded."),
    )
    # The provider that put the factory in the registry keeps sight of it even before an
    # engagement exists, so a factory being recruited does not vanish from its list.
    registered_by = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="registered_factories",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Name, city, address and OS ID folded (lib.text.fold), kept by save() and by the bulk
    # writes: searching this column finds "Việt Tiến" by "viet tien" on SQLite and PostgreSQL
    # alike, where unaccent() exists on neither without an extension.
    search_text = models.TextField(default="", editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at", "search_text"])

    objects = FactoryQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("factory")
        verbose_name_plural = _("factories")
        indexes = [models.Index(fields=["country", "name"]), models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_search_text()
        fields = kwargs.get("update_fields")
        if fields is not None and set(fields) & set(SEARCHED):
            kwargs["update_fields"] = {*fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("factories:detail", args=[self.pk])

    def refresh_search_text(self) -> None:
        """Fold the searched fields into search_text (bulk writes call this themselves)."""
        self.search_text = fold(" | ".join(str(getattr(self, f) or "") for f in SEARCHED))

    @property
    def headcount(self) -> int | None:
        if self.workers_female is None and self.workers_male is None:
            return None
        return (self.workers_female or 0) + (self.workers_male or 0)

    @property
    def share_women(self) -> float | None:
        total = self.headcount
        if not total or self.workers_female is None:
            return None
        return self.workers_female / total


class TeamMember(models.Model):
    """A member of the factory improvement team (not necessarily a FIT Hub user)."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("FIT coordinator")
        MANAGER = "manager", _("Manager")
        SUPERVISOR = "supervisor", _("Supervisor")
        WORKER = "worker", _("Worker")
        WORKER_REP = "worker_rep", _("Worker representative")

    factory = models.ForeignKey(Factory, on_delete=models.CASCADE, related_name="team")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    department = models.CharField(_("department"), max_length=20, choices=Department.choices)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["factory", "role", "name"]
        verbose_name = _("improvement team member")
        verbose_name_plural = _("improvement team members")

    def __str__(self) -> str:
        return self.name


class BuyerRelationship(models.Model):
    """A buyer sources from this factory; the buyer sees its profile and what it releases."""

    buyer = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="supplier_links"
    )
    factory = models.ForeignKey(Factory, on_delete=models.CASCADE, related_name="buyer_links")
    since = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["buyer", "factory"], name="one_link_per_buyer_factory")
        ]

    def __str__(self) -> str:
        return f"{self.buyer_id} ← {self.factory_id}"


# What Open Supply Hub publishes of a facility, and all that a provider asking to work with a
# factory sees of it until the factory agrees: not who registered it, nor its engagements,
# team or people.
PUBLIC_REGISTRY_FIELDS = ("name", "address", "country", "os_id", "sector")


class AccessRequest(models.Model):
    """A provider asks to work with a factory already in FIT Hub (found by its OS ID).

    The factory's coordinator or manager decides; while the factory has neither in FIT Hub, an
    administrator of a provider that registered it or works with it decides for it. Once
    approved, the requesting provider sees the factory and may start an engagement with it
    (factories/scoping.py). The history records every request and decision.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the factory")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    factory = models.ForeignKey(Factory, on_delete=models.CASCADE, related_name="access_requests")
    provider = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("service provider"),
        on_delete=models.CASCADE,
        related_name="factory_access_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("message to the factory"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("message to the provider"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("request to work with a factory")
        verbose_name_plural = _("requests to work with a factory")
        constraints = [
            models.UniqueConstraint(
                fields=["factory", "provider"],
                condition=models.Q(status="pending"),
                name="one_pending_access_request",
            )
        ]
        # factories_for reads the approved requests of the user's providers on every page.
        indexes = [models.Index(fields=["provider", "status", "factory"])]

    def __str__(self) -> str:
        return f"{self.provider_id} → {self.factory_id} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("factories:access-request", args=[self.pk])
