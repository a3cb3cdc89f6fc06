"""What the compliance app tells the apps below it, which it may not import.

The improvement app listens (improvement/from_findings.py): every non-compliant finding of a
submitted assessment becomes an item of the factory's plan, and a finding resolved in a later
assessment closes the loop on its item.
"""

from django.dispatch import Signal

# Sent with assessment= (a ComplianceAssessment, now submitted) and by= (a User or None), after
# the submission (or a correction of it) is written; sent again for each correction.
assessment_submitted = Signal()
