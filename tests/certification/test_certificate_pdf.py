"""The certificate's PDF is rendered once per version and served from storage: downloads reuse
the stored bytes (with an ETag and a length), a revocation or name correction has the task
render it anew, and the same facts always give the same bytes."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.storage import default_storage
from pypdf import PdfReader

from certification import certificate_pdf as pdf_module
from certification.certificate_pdf import certificate_pdf
from certification.certificates import certificate_rename, certificate_set_status
from certification.programs import certificate_issue_if_due
from tests.certification.helpers import course_completed, pt_license

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """Each WeasyPrint render of a certificate, counted around the real renderer."""
    rendered: list[str] = []
    real = pdf_module.pdf_render

    def counted(template: str, context: dict) -> bytes:
        rendered.append(context["certificate"].holder_name)
        return real(template, context)

    monkeypatch.setattr(pdf_module, "pdf_render", counted)
    return rendered


@pytest.fixture
def certificate(learner, instructor, program, django_capture_on_commit_callbacks):
    course_completed(learner, instructor, "DN-1", dt.date(2026, 3, 14))
    course_completed(learner, instructor, "DN-2", dt.date(2026, 9, 12), city="Denver")
    pt_license(learner)
    return certificate_issue_if_due(learner_id=learner.pk, program_id=program.pk)


def _text(content: bytes) -> str:
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def _download(client, certificate, **headers):
    return client.get(f"/me/certificates/{certificate.pk}/certificate.pdf", headers=headers)


def test_it_renders_once_and_serves_the_stored_bytes(client, learner, certificate, renders):
    client.force_login(learner)

    first = _download(client, certificate)
    first_bytes = first.getvalue()
    second = _download(client, certificate)

    assert renders == ["Jordan Avery Lee"]  # rendered on the first download only
    assert second.getvalue() == first_bytes
    assert int(second["Content-Length"]) == len(first_bytes)
    assert second["ETag"] == first["ETag"]
    assert second["Content-Disposition"] == f'attachment; filename="{certificate.number}.pdf"'


def test_it_answers_not_modified_to_the_same_etag(client, learner, certificate, renders):
    client.force_login(learner)
    etag = _download(client, certificate)["ETag"]

    again = _download(client, certificate, if_none_match=etag)

    assert again.status_code == 304 and not again.content
    assert len(renders) == 1


def test_the_task_renders_it_when_it_is_issued(learner, instructor, program, renders,
                                               django_capture_on_commit_callbacks):  # fmt: skip
    course_completed(learner, instructor, "DN-1", dt.date(2026, 3, 14))
    course_completed(learner, instructor, "DN-2", dt.date(2026, 9, 12), city="Denver")
    pt_license(learner)

    with django_capture_on_commit_callbacks(execute=True):
        issued = certificate_issue_if_due(learner_id=learner.pk, program_id=program.pk)

    assert renders == ["Jordan Avery Lee"]
    assert default_storage.listdir(f"certificates/{issued.pk}")[1] == [
        f"{pdf_module.certificate_pdf_key(issued)}.pdf"
    ]


def test_a_revocation_has_it_rendered_anew_and_the_old_version_removed(
    client, learner, registrar, certificate, renders, django_capture_on_commit_callbacks
):
    client.force_login(learner)
    before = _download(client, certificate)

    with django_capture_on_commit_callbacks(execute=True):
        certificate_set_status(
            certificate_id=certificate.pk, valid=False, reason="Forged", registrar=registrar
        )
    after = _download(client, certificate, if_none_match=before["ETag"])

    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert "REVOKED" in _text(after.getvalue())
    assert len(renders) == 2  # the first download, then the task; not the second download
    assert len(default_storage.listdir(f"certificates/{certificate.pk}")[1]) == 1


def test_a_name_correction_is_printed_on_the_next_download(
    client, learner, registrar, certificate, renders
):
    client.force_login(learner)
    _download(client, certificate)

    certificate_rename(
        certificate_id=certificate.pk, name="Jordan A. Lee-Park", reason="Married name",
        registrar=registrar,
    )  # fmt: skip

    content = _download(client, certificate).getvalue()
    assert "Jordan A. Lee-Park" in _text(content)
    assert renders == ["Jordan Avery Lee", "Jordan A. Lee-Park"]


def test_the_same_facts_give_the_same_bytes(certificate):
    assert certificate_pdf(certificate) == certificate_pdf(certificate)


def test_another_learner_gets_a_404_and_nothing_is_rendered(
    client, other_learner, certificate, renders
):
    client.force_login(other_learner)

    assert _download(client, certificate).status_code == 404
    assert renders == []


def test_a_repeated_download_costs_no_query(
    client, learner, certificate, renders, django_assert_num_queries
):
    client.force_login(learner)
    first = _download(client, certificate)

    with django_assert_num_queries(0):  # session, user, roles and the stored PDF: all kept
        again = _download(client, certificate)

    assert again.getvalue() == first.getvalue()


def test_another_learner_gets_a_404_after_the_owner_downloaded_it(
    client, learner, other_learner, certificate, renders
):
    client.force_login(learner)
    assert _download(client, certificate).status_code == 200

    client.force_login(other_learner)

    assert _download(client, certificate).status_code == 404


def test_a_deactivated_owner_can_no_longer_download_it(client, learner, certificate, renders):
    client.force_login(learner)
    assert _download(client, certificate).status_code == 200

    learner.is_active = False
    learner.save()
    response = _download(client, certificate)

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
