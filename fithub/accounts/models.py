"""Users, organisations and the memberships that decide what each user may see."""

import secrets
from datetime import timedelta
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

INVITATION_VALID_DAYS = 14


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    is_active = models.BooleanField(_("active"), default=True)  # type: ignore[assignment,misc]
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email


class Organisation(models.Model):
    class Kind(models.TextChoices):
        PROGRAMME_OWNER = "programme_owner", _("Programme owner")
        SERVICE_PROVIDER = "service_provider", _("Service provider")
        BUYER = "buyer", _("Buyer")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.CharField(_("country"), max_length=2, blank=True)
    # Printed on the certificates a provider issues (fithub/certificates).
    logo = models.ImageField(_("logo"), upload_to="organisations/logos/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role in an organisation (a provider, a programme owner or a buyer)."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        FACILITATOR = "facilitator", _("Facilitator / enterprise advisor")
        ASSESSOR = "assessor", _("Assessor")
        VIEWER = "viewer", _("Viewer")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


class FactoryMembership(models.Model):
    """A user's role in a factory: coordinator, manager or worker representative."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("FIT coordinator")
        MANAGER = "manager", _("Factory manager")
        WORKER_REP = "worker_rep", _("Worker representative")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="factory_memberships")
    factory = models.ForeignKey(
        "factories.Factory", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "factory"], name="one_membership_per_factory")
        ]
        verbose_name = _("factory membership")
        verbose_name_plural = _("factory memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.factory_id} · {self.get_role_display()}"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An e-mailed offer to join an organisation or a factory with a role."""

    email = models.EmailField(_("e-mail address"))
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    factory = models.ForeignKey(
        "factories.Factory",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    role = models.CharField(_("role"), max_length=20)
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    invited_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False, factory__isnull=True)
                | models.Q(organisation__isnull=True, factory__isnull=False),
                name="invitation_has_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation or self.factory}"

    @property
    def is_usable(self) -> bool:
        fresh = timezone.now() - self.created_at < timedelta(days=INVITATION_VALID_DAYS)
        return self.accepted_at is None and fresh

    @property
    def target(self) -> object:
        return self.organisation or self.factory

    @property
    def role_label(self) -> str:
        """Return the role as users read it, in their language, not its code."""
        roles = Membership.Role if self.organisation_id else FactoryMembership.Role
        return str(dict(roles.choices).get(self.role, self.role))
