"""Reading an attendance file: the same report as every import, all rows or none."""

from django.core.files.uploadedfile import SimpleUploadedFile

from fithub.training.imports import read_attendance
from fithub.training.models import Registration


def csv_file(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("attendance.csv", text.encode("utf-8"), content_type="text/csv")


def test_a_good_file_gives_the_marks_to_record(session_a, register) -> None:
    regs = register(session_a, 2)
    text = f"participant_id,present\n{regs[0].participant_id},yes\n{regs[1].participant_id},no\n"
    report = read_attendance(csv_file(text), registrations=regs)
    assert report.ok and report.rows == [(regs[0], True), (regs[1], False)]


def test_one_bad_row_leaves_no_mark_and_is_reported_by_its_spreadsheet_row(
    session_a, register
) -> None:
    regs = register(session_a, 1)
    long_name = "N" * 300
    text = f"name,present\n{regs[0].participant.name},yes\n\n{long_name},yes\n"
    report = read_attendance(csv_file(text), registrations=regs)
    assert report.rows == [] and report.error_count == 1
    problem = report.errors[0]
    assert (problem.row, problem.column, problem.value) == (4, "name", "N" * 200)
    assert not Registration.objects.filter(present__isnull=False).exists()


def test_a_header_alone_is_not_an_attendance_list(session_a, register) -> None:
    regs = register(session_a, 1)
    report = read_attendance(csv_file("name,present\n"), registrations=regs)
    assert [(p.row, p.reason) for p in report.errors] == [
        (None, "The file has no rows below the header.")
    ]
