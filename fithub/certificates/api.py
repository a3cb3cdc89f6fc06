"""API endpoints of certificates, mounted under /api/v1/."""

from typing import Any, cast

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from fithub.accounts.models import User
from fithub.certificates import render, services
from fithub.certificates.models import Certificate
from fithub.certificates.scoping import certificate_by_code, certificates_for
from fithub.lib.api import error_responses, service_errors
from fithub.lib.i18n import localized
from fithub.training.scoping import registrations_for


class CertificateSerializer(serializers.ModelSerializer):
    session = serializers.IntegerField(source="registration.session_id", read_only=True)
    participant = serializers.IntegerField(source="registration.participant_id", read_only=True)
    valid = serializers.BooleanField(source="is_valid", read_only=True)
    verify_url = serializers.SerializerMethodField(
        help_text=_("The public verification page, as encoded in the QR code.")
    )

    class Meta:
        model = Certificate
        fields = [
            "id",
            "code",
            "registration",
            "session",
            "participant",
            "name",
            "language",
            "revision",
            "issued_at",
            "valid",
            "revoked_at",
            "revoked_reason",
            "verify_url",
        ]
        read_only_fields = fields

    def get_verify_url(self, certificate: Certificate) -> str:
        return render.verification_url(certificate.code)


class IssueSerializer(serializers.Serializer):
    registration = serializers.IntegerField(
        help_text=_("The participant's registration for the session."),
    )
    language = serializers.ChoiceField(
        choices=list(render.LANGUAGE_NAMES.items()),
        required=False,
        help_text=_("The certificate's language; by default the participant's."),
    )


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class ReissueSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)


class VerificationSerializer(serializers.Serializer):
    code = serializers.CharField()
    valid = serializers.BooleanField(help_text=_("False once the certificate is revoked."))
    revoked_at = serializers.DateTimeField(allow_null=True)
    module = serializers.CharField(help_text=_("The module's title, in the requested language."))
    date = serializers.DateField(help_text=_("The date of the session."))
    provider = serializers.CharField(help_text=_("The organisation that issued it."))
    name = serializers.CharField(help_text=_("The name printed on the certificate."))


ERRORS = error_responses(
    forbidden=_("You may see this session but not change it."),
    not_found=_("No such certificate, or not one you may see."),
)


def _certificate_for(request: Request, pk: int, *, write: bool = False) -> Certificate:
    """Return the certificate if the user may see it, else 404; 403 if they may not change it."""
    certificate = get_object_or_404(
        certificates_for(request.user).select_related("registration"), pk=pk
    )
    if write and not certificates_for(request.user, write=True).filter(pk=pk).exists():
        raise PermissionDenied
    return certificate


class CertificateListApi(GenericAPIView):
    serializer_class = CertificateSerializer

    @extend_schema(
        summary="List the certificates of the sessions you may see",
        parameters=[
            OpenApiParameter("session", int, description=_("Only this session's certificates."))
        ],
        responses=CertificateSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        qs = certificates_for(request.user).select_related("registration")
        if session := request.query_params.get("session"):
            if not session.isdigit():
                return Response(
                    {"session": [_("Give a session id.")]}, status=status.HTTP_400_BAD_REQUEST
                )
            qs = qs.filter(registration__session_id=int(session))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(CertificateSerializer(page, many=True).data)

    @extend_schema(
        summary="Issue a certificate to a participant who attended",
        description=(
            "Only a participant marked present gets one, and only one per registration: "
            "asking again answers 200 with the certificate issued before."
        ),
        request=IssueSerializer,
        responses={
            201: CertificateSerializer,
            200: OpenApiResponse(CertificateSerializer, description=_("Issued before.")),
            400: ERRORS[400],
            403: ERRORS[403],
            404: OpenApiResponse(description=_("No such registration, or not one you may see.")),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = IssueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # A registration the user may not see is unknown (404), like one that does not exist;
        # one they see but may not change is refused (403).
        registration = get_object_or_404(
            registrations_for(request.user).select_related("participant", "session"),
            pk=serializer.validated_data["registration"],
        )
        if not registrations_for(request.user, write=True).filter(pk=registration.pk).exists():
            raise PermissionDenied
        existed = Certificate.objects.filter(registration=registration).exists()
        with service_errors():
            certificate = services.certificate_issue(
                registration=registration,
                by=cast(User, request.user),  # IsAuthenticated, the default, let only users in
                language=serializer.validated_data.get("language"),
            )
        return Response(
            CertificateSerializer(certificate).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )


class CertificateDetailApi(APIView):
    @extend_schema(
        summary="Show a certificate",
        responses={200: CertificateSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(CertificateSerializer(_certificate_for(request, pk)).data)


class CertificateRevokeApi(APIView):
    @extend_schema(
        summary="Revoke a certificate",
        description="The reason is required; the public verification shows only the date.",
        request=RevokeSerializer,
        responses={200: CertificateSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        certificate = _certificate_for(request, pk, write=True)
        serializer = RevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            certificate = services.certificate_revoke(
                certificate=certificate,
                reason=serializer.validated_data["reason"],
                by=cast(User, request.user),
            )
        return Response(CertificateSerializer(certificate).data)


class CertificateReissueApi(APIView):
    @extend_schema(
        summary="Reissue a certificate with a corrected name",
        description="The verification code stays the same; the revision goes up by one.",
        request=ReissueSerializer,
        responses={200: CertificateSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        certificate = _certificate_for(request, pk, write=True)
        serializer = ReissueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            certificate = services.certificate_reissue(
                certificate=certificate,
                name=serializer.validated_data["name"],
                by=cast(User, request.user),
            )
        return Response(CertificateSerializer(certificate).data)


class VerifyApi(APIView):
    # Public, as the page the QR code opens: no login, so no session or token either.
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]

    @extend_schema(
        summary="Check a certificate by its verification code (public)",
        description=(
            "No login needed. The code may be typed in any case, with spaces or dashes. "
            "Answers what the paper shows and whether the certificate stands: nothing else "
            "about the person."
        ),
        auth=[],
        responses={
            200: VerificationSerializer,
            404: OpenApiResponse(description=_("No certificate has this code.")),
        },
    )
    def get(self, request: Request, code: str) -> Response:
        certificate = certificate_by_code(code)
        if certificate is None:
            raise NotFound(_("No certificate has this code."))
        session = certificate.registration.session
        data = {
            "code": certificate.code,
            "valid": certificate.is_valid,
            "revoked_at": certificate.revoked_at,
            "module": localized(session.module.title) or session.module.code,
            "date": session.date,
            "provider": render.issuer_name(certificate),
            "name": certificate.name,
        }
        return Response(VerificationSerializer(data).data)


urlpatterns = [
    path("certificates/", CertificateListApi.as_view(), name="api-certificates"),
    path("certificates/<int:pk>/", CertificateDetailApi.as_view(), name="api-certificate"),
    path(
        "certificates/<int:pk>/revoke/",
        CertificateRevokeApi.as_view(),
        name="api-certificate-revoke",
    ),
    path(
        "certificates/<int:pk>/reissue/",
        CertificateReissueApi.as_view(),
        name="api-certificate-reissue",
    ),
    path("certificates/verify/<str:code>/", VerifyApi.as_view(), name="api-certificate-verify"),
]
