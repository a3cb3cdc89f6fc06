"""The default questions of the advisor's effectiveness review; administrators may change them."""

from django.db import migrations

# (code, weight, {language: question}). Copied here rather than imported: a migration must
# keep working whatever the app's code later becomes.
DEFAULT_CHECKLIST = [
    (
        "meets_regularly",
        2,
        {
            "en": "The committee meets regularly, at least once a month, as planned.",
            "bn": "কমিটি পরিকল্পনা অনুযায়ী নিয়মিত সভা করে, অন্তত মাসে একবার।",
            "ur": "کمیٹی منصوبے کے مطابق باقاعدگی سے اجلاس کرتی ہے، کم از کم مہینے میں ایک بار۔",
        },
    ),
    (
        "both_sides_speak",
        2,
        {
            "en": "Both sides speak and are listened to; worker representatives raise issues.",
            "bn": "দুই পক্ষই কথা বলে এবং তাদের কথা শোনা হয়; শ্রমিক প্রতিনিধিরা বিষয় তোলেন।",
            "ur": "دونوں فریق بات کرتے ہیں اور ان کی بات سنی جاتی ہے؛ مزدور نمائندے مسائل اٹھاتے ہیں۔",
        },
    ),
    (
        "minutes_shared",
        1,
        {
            "en": "Approved minutes are shared with the workers (notice board, line meetings).",
            "bn": "অনুমোদিত কার্যবিবরণী শ্রমিকদের জানানো হয় (নোটিশ বোর্ড, লাইন সভা)।",
            "ur": "منظور شدہ روداد مزدوروں تک پہنچائی جاتی ہے (نوٹس بورڈ، لائن میٹنگ)۔",
        },
    ),
    (
        "decisions_followed_up",
        2,
        {
            "en": "Decisions are followed up: each has an owner and a date, and the next meeting "
            "checks progress.",
            "bn": "সিদ্ধান্তগুলোর অনুসরণ হয়: প্রতিটির একজন দায়িত্বপ্রাপ্ত ও একটি তারিখ আছে, "
            "এবং পরের সভায় অগ্রগতি দেখা হয়।",
            "ur": "فیصلوں پر عمل دیکھا جاتا ہے: ہر فیصلے کا ایک ذمہ دار اور ایک تاریخ ہے، اور اگلا "
            "اجلاس پیش رفت دیکھتا ہے۔",
        },
    ),
    (
        "elected_worker_reps",
        2,
        {
            "en": "Worker representatives were elected by the workers, freely and without "
            "management interference.",
            "bn": "শ্রমিক প্রতিনিধিরা শ্রমিকদের দ্বারা স্বাধীনভাবে, ব্যবস্থাপনার হস্তক্ষেপ ছাড়া "
            "নির্বাচিত।",
            "ur": "مزدور نمائندے مزدوروں نے آزادانہ طور پر، انتظامیہ کی مداخلت کے بغیر منتخب کیے "
            "ہیں۔",
        },
    ),
    (
        "women_represented",
        1,
        {
            "en": "Women are represented in proportion to the workforce and take part in the "
            "discussions.",
            "bn": "কর্মীদের অনুপাতে নারীদের প্রতিনিধিত্ব আছে এবং তাঁরা আলোচনায় অংশ নেন।",
            "ur": "خواتین کی نمائندگی افرادی قوت میں ان کے تناسب سے ہے اور وہ بحث میں حصہ لیتی ہیں۔",
        },
    ),
]


def add_checklist(apps, schema_editor):  # type: ignore[no-untyped-def]
    ChecklistItem = apps.get_model("committees", "ChecklistItem")
    for order, (code, weight, text) in enumerate(DEFAULT_CHECKLIST, start=1):
        ChecklistItem.objects.get_or_create(
            code=code, defaults={"text": text, "weight": weight, "order": order * 10}
        )


def remove_checklist(apps, schema_editor):  # type: ignore[no-untyped-def]
    ChecklistItem = apps.get_model("committees", "ChecklistItem")
    ChecklistItem.objects.filter(
        code__in=[code for code, _w, _t in DEFAULT_CHECKLIST], answers__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("committees", "0001_committees_members_elections_meetings_reviews")]

    operations = [migrations.RunPython(add_checklist, remove_checklist)]
