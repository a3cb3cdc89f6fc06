"""Background work of accounts (Django's tasks framework; `manage.py db_worker` runs it)."""

from django.tasks import task

from fithub.accounts import services


@task()
def password_reset_task(*, email: str, domain: str, use_https: bool) -> None:
    """E-mail a password-reset link to the account with this address, if there is one."""
    services.password_reset_send(email=email, domain=domain, use_https=use_https)
